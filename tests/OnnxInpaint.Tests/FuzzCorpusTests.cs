using Inpaint.Cli;
using Inpaint.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Inpaint.OnnxInpaint.Tests;

/// <summary>
/// The fixed corpus of mutated files (Fixtures/fuzz, written by <c>inpaint-fuzz corpus</c>, see docs/reliability.md):
/// each file is read or refused exactly as <c>expected.tsv</c> records, with one line naming it, and the CLI
/// never ends in an internal error on any of them, as photo or as mask.
/// </summary>
public class FuzzCorpusTests
{
    private static readonly string Corpus = Path.Combine(AppContext.BaseDirectory, "Fixtures", "fuzz");

    private static Dictionary<string, int> Expected() => File.ReadAllLines(Path.Combine(Corpus, "expected.tsv"))
        .Select(line => line.Split('\t')).ToDictionary(p => p[0], p => int.Parse(p[1]), StringComparer.Ordinal);

    [Fact]
    public void EveryFileIsReadOrRefusedAsRecordedWithOneLineNamingIt()
    {
        var expected = Expected();
        Assert.True(expected.Count >= 300, $"{expected.Count} files in the corpus");
        var files = new PhotoFile();
        var mismatches = new List<string>();
        foreach (var (name, exit) in expected)
        {
            string path = Path.Combine(Corpus, name);
            int got;
            try
            {
                using Image<Rgba32> image = files.Read(path);
                var holes = MaskRule.Read(image, image.Width, image.Height);
                Assert.Equal(image.Width * image.Height, holes.Holes.Length);
                got = 0;
            }
            catch (InvalidDataException e)
            {
                Assert.StartsWith($"'{path}' is ", e.Message);
                Assert.DoesNotContain('\n', e.Message);
                got = 1;
            }
            if (got != exit) mismatches.Add($"{name}: expected {exit}, got {got}");
        }
        Assert.True(mismatches.Count == 0, string.Join(Environment.NewLine, mismatches));
        Assert.Contains(0, expected.Values);
        Assert.Contains(1, expected.Values);
    }

    [Fact]
    public void TheCliRepairsOrListsEveryFileAndNeverFailsInternally()
    {
        var expected = Expected();
        string dir = Fixture.TempDir(), masks = Path.Combine(dir, "masks"), output = Path.Combine(dir, "out");
        Directory.CreateDirectory(masks);
        // One small mask per photo, scaled to each photo by --resize-mask.
        using (var mask = new Image<Rgba32>(8, 8, new Rgba32(0, 0, 0, 255)))
        {
            mask[3, 3] = mask[4, 4] = new Rgba32(255, 255, 255, 255);
            foreach (string name in expected.Keys) mask.SaveAsPng(Path.Combine(masks, Path.GetFileNameWithoutExtension(name) + ".png"));
        }
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = InpaintCli.Run(["repair", Corpus, "--masks", masks, "-o", output, "--resize-mask", "--model", Fixture.TinyModel, "--device", "cpu"], stdout, stderr);
        Assert.Equal(ExitCodes.BadInput, code);
        int accepted = expected.Values.Count(v => v == 0), refused = expected.Count - accepted;
        Assert.Contains($"{accepted} repaired, 0 skipped (output exists), {refused} failed", stdout.ToString());
        string[] lines = stderr.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(refused, lines.Length);
        foreach (string line in lines)
        {
            string name = line["failed: ".Length..line.IndexOf(": '", StringComparison.Ordinal)];
            Assert.Equal(1, expected[name]);
            Assert.Contains($"'{Path.Combine(Corpus, name)}' is ", line);
        }

        // The same files as masks of one good photo: each is read and applied, or refused with one line; never exit 3.
        string photo = Path.Combine(dir, "photo.png");
        using (var image = Fixture.Photo(40, 30)) image.SaveAsPng(photo);
        foreach (var (name, exit) in expected.Where((_, i) => i % 5 == 0))
        {
            var err = new StringWriter();
            int result = InpaintCli.Run(["repair", photo, "--mask", Path.Combine(Corpus, name), "-o", Path.Combine(dir, "masked.png"), "--resize-mask",
                "--allow-large-holes", "--model", Fixture.TinyModel, "--device", "cpu"], new StringWriter(), err);
            // A readable mask may still be all white: refused (exit 1, one line) because nothing is known.
            bool allHoles = err.ToString().Contains("every pixel of the photo as a hole", StringComparison.Ordinal);
            Assert.True(result == exit || (exit == 0 && result == 1 && allHoles), $"{name} as a mask: exit {result}, {err}");
            if (exit == 1) Assert.Single(err.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
        }
    }
}
