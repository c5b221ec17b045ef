using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Inpaint.OnnxInpaint.Tests;

public class MlNetTests
{
    private sealed class Row
    {
        [ImageType(32, 32)] public MLImage Image { get; set; } = null!;

        [ImageType(32, 32)] public MLImage Mask { get; set; } = null!;
    }

    private sealed class Result
    {
        [ImageType(32, 32)] public MLImage Inpainted { get; set; } = null!;
    }

    private static MLImage ToMl(Image<Rgba32> image)
    {
        using var stream = new MemoryStream();
        image.SaveAsPng(stream);
        stream.Position = 0;
        return MLImage.CreateFromStream(stream);
    }

    private static (List<Row> Rows, List<bool[]> Holes, List<Image<Rgba32>> Photos) Data()
    {
        var rows = new List<Row>();
        var holes = new List<bool[]>();
        var photos = new List<Image<Rgba32>>();
        for (int i = 0; i < 3; i++)
        {
            var photo = Fixture.Photo(32, 32, seed: i + 1);
            using var mask = new Image<Rgba32>(32, 32, new Rgba32(0, 0, 0, 255));
            var h = new bool[32 * 32];
            for (int y = 10; y < 20 + i; y++) for (int x = 12; x < 22; x++) { mask[x, y] = new Rgba32(255, 255, 255, 255); h[y * 32 + x] = true; }
            rows.Add(new Row { Image = ToMl(photo), Mask = ToMl(mask) });
            holes.Add(h);
            photos.Add(photo);
        }
        return (rows, holes, photos);
    }

    [Fact]
    public void PipelineInpaintsKeepsKnownPixelsAndSurvivesSaveAndLoad()
    {
        var ml = new MLContext(seed: 1);
        var (rows, holes, photos) = Data();
        IDataView data = ml.Data.LoadFromEnumerable(rows);
        var pipeline = ml.Transforms.InpaintImages("Inpainted", Fixture.TinyModel, imageColumnName: "Image", maskColumnName: "Mask");
        ITransformer model = pipeline.Fit(data);
        var first = ml.Data.CreateEnumerable<Result>(model.Transform(data), reuseRowObject: false).ToList();

        for (int r = 0; r < rows.Count; r++)
        {
            var pixels = first[r].Inpainted.Pixels.ToArray(); // BGRA
            int changed = 0;
            for (int i = 0; i < 32 * 32; i++)
            {
                var p = photos[r][i % 32, i / 32];
                bool same = pixels[4 * i + 2] == p.R && pixels[4 * i + 1] == p.G && pixels[4 * i] == p.B;
                if (!holes[r][i]) Assert.True(same, $"row {r}: known pixel {i} changed");
                else if (!same) changed++;
            }
            Assert.True(changed > 0);
        }

        string path = Path.Combine(Fixture.TempDir(), "pipeline.zip");
        ml.Model.Save(model, inputSchema: null, path); // MLImage columns cannot be stored as schema data
        var other = new MLContext(seed: 2);
        other.ComponentCatalog.RegisterAssembly(typeof(Inpaint.OnnxInpaint.MLNet.MaskRuleMapping).Assembly);
        ITransformer loaded = other.Model.Load(path, out _);
        var second = other.Data.CreateEnumerable<Result>(loaded.Transform(other.Data.LoadFromEnumerable(Data().Rows)), reuseRowObject: false).ToList();
        for (int r = 0; r < rows.Count; r++)
            Assert.Equal(first[r].Inpainted.Pixels.ToArray(), second[r].Inpainted.Pixels.ToArray());

        var engine = ml.Model.CreatePredictionEngine<Row, Result>(model);
        Assert.Equal(first[0].Inpainted.Pixels.ToArray(), engine.Predict(Data().Rows[0]).Inpainted.Pixels.ToArray());
    }

    private sealed class WideRow
    {
        [ImageType(40, 48)] public MLImage Image { get; set; } = null!;

        [ImageType(40, 48)] public MLImage Mask { get; set; } = null!;
    }

    private sealed class WideResult
    {
        [ImageType(40, 48)] public MLImage Inpainted { get; set; } = null!;
    }

    [Fact]
    public void AFreeformModelRunsAtAnotherSizeAndHonoursTheAlphaRule()
    {
        var ml = new MLContext(seed: 1);
        int w = 48, h = 40;
        using var photo = Fixture.Photo(w, h, seed: 9);
        // The alpha rule: transparent = hole, whatever the colour; the opaque part is white (luminance would call it a hole).
        using var alphaMask = new Image<Rgba32>(w, h, new Rgba32(255, 255, 255, 255));
        var holes = new bool[w * h];
        for (int y = 12; y < 25; y++) for (int x = 5; x < 40; x++) { alphaMask[x, y] = new Rgba32(0, 0, 0, 0); holes[y * w + x] = true; }
        var rows = new List<WideRow> { new() { Image = ToMl(photo), Mask = ToMl(alphaMask) } };
        var pipeline = ml.Transforms.InpaintImages(new Inpaint.OnnxInpaint.MLNet.InpaintImagesOptions
        {
            OutputColumnName = "Inpainted", ModelFile = Fixture.FreeformModel, ImageColumnName = "Image", MaskColumnName = "Mask", Width = w, Height = h,
        });
        var result = ml.Data.CreateEnumerable<WideResult>(pipeline.Fit(ml.Data.LoadFromEnumerable(rows)).Transform(ml.Data.LoadFromEnumerable(rows)), reuseRowObject: false).Single();
        Assert.Equal((w, h), (result.Inpainted.Width, result.Inpainted.Height));
        var pixels = result.Inpainted.Pixels.ToArray();
        int changed = 0;
        for (int i = 0; i < w * h; i++)
        {
            var p = photo[i % w, i / w];
            bool same = pixels[4 * i + 2] == p.R && pixels[4 * i + 1] == p.G && pixels[4 * i] == p.B;
            if (!holes[i]) Assert.True(same, $"known pixel {i} changed");
            else if (!same) changed++;
        }
        Assert.True(changed > holes.Count(x => x) / 2, $"{changed} hole pixels changed");
        // A center model cannot run at another size.
        Assert.Throws<ArgumentException>(() => ml.Transforms.InpaintImages(new Inpaint.OnnxInpaint.MLNet.InpaintImagesOptions { ModelFile = Fixture.TinyModel, Width = 48, Height = 40 }));
    }

    private sealed class AnySizeRow
    {
        [ImageType(1, 1)] public MLImage Image { get; set; } = null!; // a placeholder: ResizeImages reads each image's own size

        [ImageType(1, 1)] public MLImage Mask { get; set; } = null!;
    }

    [Fact]
    public void APhotoSizedPipelineGivesBackA640x480RowAtItsSize()
    {
        // The README's ML.NET example: the options take the photo's size, the result is read with a cursor (the output's
        // size is known only at run time, so a typed class cannot state it).
        var ml = new MLContext(seed: 1);
        using var photo = Fixture.Photo(640, 480, seed: 4);
        using var mask = new Image<Rgba32>(640, 480, new Rgba32(0, 0, 0, 255));
        for (int y = 200; y < 260; y++) for (int x = 300; x < 380; x++) mask[x, y] = new Rgba32(255, 255, 255, 255);
        var rows = ml.Data.LoadFromEnumerable(new List<AnySizeRow> { new() { Image = ToMl(photo), Mask = ToMl(mask) } });
        var pipeline = ml.Transforms.InpaintImages(new Inpaint.OnnxInpaint.MLNet.InpaintImagesOptions
        {
            OutputColumnName = "Inpainted", ModelFile = Fixture.FreeformModel, ImageColumnName = "Image", MaskColumnName = "Mask", Width = 640, Height = 480,
        });
        IDataView transformed = pipeline.Fit(rows).Transform(rows);
        var column = transformed.Schema["Inpainted"];
        MLImage inpainted = null!;
        using (var cursor = transformed.GetRowCursor([column]))
        {
            var getter = cursor.GetGetter<MLImage>(column);
            Assert.True(cursor.MoveNext());
            getter(ref inpainted);
        }
        Assert.Equal((640, 480), (inpainted.Width, inpainted.Height));
        var pixels = inpainted.Pixels.ToArray();
        var known = photo[10, 10];
        Assert.Equal((known.R, known.G, known.B), (pixels[4 * (10 * 640 + 10) + 2], pixels[4 * (10 * 640 + 10) + 1], pixels[4 * (10 * 640 + 10)]));
    }
}
