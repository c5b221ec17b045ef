using Inpaint.Trainer.Data;
using Inpaint.Trainer.Masks;

namespace Inpaint.Trainer.Tests;

public class DataTests
{
    [Fact]
    public void ScanFindsPhotosRecursivelyAndSplitsDeterministically()
    {
        using var photos = new TestPhotos(count: 10, subfolder: "nested");
        var decoder = new PhotoFile();
        var a = ImageFolder.Scan(photos.Root, decoder, 32, validationFraction: 0.2, validationLast: 0);
        var b = ImageFolder.Scan(photos.Root, decoder, 32, validationFraction: 0.2, validationLast: 0);
        Assert.Equal(8, a.Train.Count);
        Assert.Equal(2, a.Validation.Count);
        Assert.Contains(a.Train.Concat(a.Validation), p => p.RelativePath.StartsWith("nested/"));
        Assert.Equal(a.Validation.Select(p => p.RelativePath), b.Validation.Select(p => p.RelativePath));
        Assert.Empty(a.Train.Select(p => p.Path).Intersect(a.Validation.Select(p => p.Path)));
    }

    [Fact]
    public void LastNSplitHoldsOutTheLastPhotosInPathOrder()
    {
        using var photos = new TestPhotos(count: 5);
        var split = ImageFolder.Scan(photos.Root, new PhotoFile(), 32, 0.1, validationLast: 2);
        Assert.Equal(new[] { "photo03.png", "photo04.png" }, split.Validation.Select(p => p.RelativePath));
    }

    [Fact]
    public void CorruptSmallAndForeignFilesAreSkippedWithWarnings()
    {
        using var photos = new TestPhotos(count: 4);
        File.WriteAllText(Path.Combine(photos.Root, "broken.jpg"), "this is not a JPEG");
        File.WriteAllBytes(Path.Combine(photos.Root, "truncated.png"), File.ReadAllBytes(Path.Combine(photos.Root, "photo00.png"))[..40]);
        TestPhotos.Write(Path.Combine(photos.Root, "tiny.png"), 20, 20, 1);
        File.WriteAllText(Path.Combine(photos.Root, "notes.txt"), "ignored: not an image extension");
        var warnings = new List<string>();
        var split = ImageFolder.Scan(photos.Root, new PhotoFile(), 32, 0.25, 0, warnings.Add);
        // The scan reads headers only, but a PNG without its end chunk is refused from its bytes alone.
        Assert.Equal(4, split.Train.Count + split.Validation.Count);
        Assert.Equal(3, split.Skipped.Count);
        Assert.Contains(warnings, w => w.Contains("broken.jpg"));
        Assert.Contains(warnings, w => w.Contains("truncated.png") && w.Contains("damaged or truncated"));
        Assert.Contains(warnings, w => w.Contains("tiny.png") && w.Contains("smaller than"));
    }

    [Fact]
    public void PhotosThatFailToDecodeAreSkippedDuringTrainingNotFatal()
    {
        using var photos = new TestPhotos(count: 3);
        // A JPEG cut in half passes the header scan; the strict decoder refuses it when the sampler first reads it.
        TestPhotos.WriteTruncatedJpeg(Path.Combine(photos.Root, "truncated.jpg"), 80, 64, 7);
        var split = ImageFolder.Scan(photos.Root, new PhotoFile(), 32, 0, 0);
        Assert.Equal(4, split.Train.Count);
        var warnings = new List<string>();
        using var cache = new PhotoCache(new PhotoFile(), 96);
        var sampler = new TrainingSampler(split.Train, cache, new SamplerOptions { ImageSize = 32, MinScale = 32, MaxScale = 96, HoleSize = 16 }, warnings.Add);
        var buffer = new float[3 * 32 * 32];
        for (int i = 0; i < 12; i++) sampler.Fill(i, buffer);
        Assert.Equal(1, sampler.BadPhotoCount);
        Assert.Contains("truncated.jpg", Assert.Single(warnings));
    }

    [Fact]
    public void MissingEmptyAndTooSmallFoldersGetClearErrors()
    {
        var decoder = new PhotoFile();
        var missing = Assert.Throws<UserError>(() => ImageFolder.Scan("/nonexistent/photos", decoder, 32, 0.1, 0));
        Assert.Contains("does not exist", missing.Message);

        using var empty = new TestPhotos(count: 0);
        Assert.Contains("holds no PNG", Assert.Throws<UserError>(() => ImageFolder.Scan(empty.Root, decoder, 32, 0.1, 0)).Message);

        using var one = new TestPhotos(count: 1);
        Assert.Contains("too few", Assert.Throws<UserError>(() => ImageFolder.Scan(one.Root, decoder, 32, 0.1, 0)).Message);
    }

    [Fact]
    public void PixelLimitIsCheckedBeforeDecoding()
    {
        using var photos = new TestPhotos(count: 1, width: 100, height: 100);
        var decoder = new PhotoFile(maxPixels: 5000);
        var e = Assert.Throws<ImageTooLargeException>(() => decoder.ReadRgb(Path.Combine(photos.Root, "photo00.png")));
        Assert.Contains("above the limit of 5,000 pixels", e.Message);
    }

    [Fact]
    public void SamplesArePureFunctionsOfSeedAndIndex()
    {
        using var photos = new TestPhotos(count: 4);
        var split = ImageFolder.Scan(photos.Root, new PhotoFile(), 32, 0, 0);
        var options = new SamplerOptions { ImageSize = 32, MinScale = 32, MaxScale = 96, HoleSize = 16, Seed = 9 };
        using var cacheA = new PhotoCache(new PhotoFile(), 96);
        using var cacheB = new PhotoCache(new PhotoFile(), 96, budgetBytes: 0); // decodes every time
        var a = new TrainingSampler(split.Train, cacheA, options);
        var b = new TrainingSampler(split.Train, cacheB, options);
        var x = new float[3 * 32 * 32];
        var y = new float[3 * 32 * 32];
        for (long i = 0; i < 10; i++)
        {
            var holeA = a.Fill(17 - i, x);
            var holeB = b.Fill(17 - i, y);
            Assert.Equal(holeA, holeB);
            Assert.Equal(x, y);
            Assert.All(x, v => Assert.InRange(v, -1f, 1f));
        }
        var other = new TrainingSampler(split.Train, cacheA, options with { Seed = 10 });
        other.Fill(3, y);
        a.Fill(3, x);
        Assert.NotEqual(x, y);
    }

    [Fact]
    public void TheCropWindowSaysWhereTheCropLiesInThePhotoResizedToItsScale()
    {
        // 96x64 photos, scales 32..96 for 32 px crops: the resized photo is 1.5 x its scale wide, and the window lies in it.
        using var photos = new TestPhotos(count: 3, width: 96, height: 64);
        var split = ImageFolder.Scan(photos.Root, new PhotoFile(), 32, 0, 0);
        using var cache = new PhotoCache(new PhotoFile(), 96);
        var sampler = new TrainingSampler(split.Train, cache, new SamplerOptions { ImageSize = 32, MinScale = 32, MaxScale = 96, HoleSize = 16, Seed = 4 });
        var crop = new float[3 * 32 * 32];
        var scales = new HashSet<int>();
        for (long i = 0; i < 40; i++)
        {
            sampler.Crop(i, crop, out CropWindow window);
            Assert.Equal(32, window.Size);
            Assert.InRange(window.PhotoHeight, 32, 96);
            Assert.InRange(window.PhotoWidth, window.PhotoHeight * 3 / 2 - 1, window.PhotoHeight * 3 / 2 + 1);
            Assert.InRange(window.Left, 0, window.PhotoWidth - 32);
            Assert.InRange(window.Top, 0, window.PhotoHeight - 32);
            scales.Add(window.PhotoHeight);
        }
        Assert.True(scales.Count > 5, "the scale did not vary");
        // At the crop's own scale the crop is the photo's full height: the window starts at the top.
        var whole = new TrainingSampler(split.Train, cache, new SamplerOptions { ImageSize = 32, MinScale = 32, MaxScale = 32, HoleSize = 16, Seed = 4 });
        whole.Crop(0, crop, out CropWindow full);
        Assert.Equal((48, 32, 0), (full.PhotoWidth, full.PhotoHeight, full.Top));
    }

    [Fact]
    public void EachEpochVisitsEveryPhotoOnce()
    {
        using var photos = new TestPhotos(count: 5);
        var split = ImageFolder.Scan(photos.Root, new PhotoFile(), 32, 0, 0);
        using var cache = new PhotoCache(new PhotoFile(), 32);
        // MinScale = MaxScale = size and no flip: each sample is the whole (resized) photo, so photos can be told apart.
        var sampler = new TrainingSampler(split.Train, cache, new SamplerOptions { ImageSize = 32, MinScale = 32, MaxScale = 32, Flip = false, HoleSize = 16 });
        var seen = new HashSet<string>();
        var buffer = new float[3 * 32 * 32];
        for (int i = 5; i < 10; i++)
        {
            sampler.Fill(i, buffer);
            seen.Add(string.Join(",", buffer.Take(64)));
        }
        Assert.Equal(5, seen.Count);
    }

    [Fact]
    public void LoaderDeliversBatchesInStepOrderWithBlankedHoles()
    {
        using var photos = new TestPhotos(count: 4);
        var split = ImageFolder.Scan(photos.Root, new PhotoFile(), 32, 0, 0);
        using var cache = new PhotoCache(new PhotoFile(), 96);
        var sampler = new TrainingSampler(split.Train, cache, new SamplerOptions { ImageSize = 32, MinScale = 32, MaxScale = 96, HoleSize = 16, Mask = MaskMode.Square });
        float[] fill = [1f, 1f, 1f];
        using var loader = new CenterBatchLoader(sampler, 3, 0, fill, firstStep: 5, workers: 2, prefetch: 2);
        for (long step = 5; step < 9; step++)
        {
            CenterBatch batch = loader.Next();
            Assert.Equal(step, batch.Step);
            CenterBatch expected = CenterBatchLoader.Make(sampler, step, 3, 0, fill);
            Assert.Equal(expected.Real, batch.Real);
            Assert.Equal(expected.Input, batch.Input);
            Assert.Equal(expected.Truth, batch.Truth);
            int x = batch.HoleX[0], y = batch.HoleY[0];
            Assert.Equal(1f, batch.Input[(y + 3) * 32 + x + 3]);
            Assert.Equal(batch.Real[(y + 3) * 32 + x + 3], batch.Truth[3 * 16 + 3]);
        }
    }
}
