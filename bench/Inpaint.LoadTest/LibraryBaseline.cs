using System.Diagnostics;
using Inpaint.Hosting;
using Inpaint.OnnxInpaint;
using Inpaint.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Inpaint.LoadTest;

/// <summary>The same repair as the server's (decode, mask rule, repair, PNG encode) in one thread through the library.</summary>
internal static class LibraryBaseline
{
    public static StepResult Run(LoadOptions options)
    {
        byte[] photoBytes = File.ReadAllBytes(options.Photo), maskBytes = File.ReadAllBytes(options.Mask);
        using var model = InpaintModel.Load(ModelLocator.Resolve(options.Model));
        var repairer = new PhotoRepairer(model);
        var files = new PhotoFile();
        var latencies = new Latencies();
        double windows = 0, calls = 0;

        void Once(bool record)
        {
            long start = Stopwatch.GetTimestamp();
            using Image<Rgba32> photo = files.Read(new MemoryStream(photoBytes), "photo");
            HoleMap holes;
            using (Image<Rgba32> mask = files.Read(new MemoryStream(maskBytes), "mask"))
                holes = MaskRule.Read(mask, photo.Width, photo.Height);
            using Image<Rgba32> repaired = repairer.Repair(photo, holes, out RepairReport report);
            using var encoded = new MemoryStream();
            repaired.Save(encoded, files.EncoderFor(".png", PhotoChannelsOf.Recorded(repaired))); // as the server encodes its answer
            if (!record) return;
            latencies.Add(Stopwatch.GetElapsedTime(start));
            windows += report.Windows;
            calls += report.Batches;
        }

        var warm = Stopwatch.StartNew();
        while (warm.Elapsed.TotalSeconds < options.Warmup) Once(false);
        TimeSpan cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
        var timer = Stopwatch.StartNew();
        while (timer.Elapsed.TotalSeconds < options.Seconds) Once(true);
        double cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuStart).TotalSeconds;
        double seconds = timer.Elapsed.TotalSeconds;
        long rss = Environment.WorkingSet / 1024;
        return new StepResult("library, one thread", 1, null, latencies.Count, seconds, latencies, calls == 0 ? 0 : windows / calls, rss, rss, 0, "", cpu);
    }
}
