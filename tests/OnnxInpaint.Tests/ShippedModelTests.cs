using Inpaint.OnnxInpaint.Imaging;

namespace Inpaint.OnnxInpaint.Tests;

/// <summary>The real end-to-end path: the shipped model repairs a shipped sample.</summary>
public class ShippedModelTests
{
    [Fact]
    public void ShippedModelRepairsTheCentreSample()
    {
        string root = ModelTests.RepoRoot();
        using var model = InpaintModel.Load(Path.Combine(root, "models", "inpaint-compact.onnx"), new InpaintModelOptions { Provider = ExecutionProvider.Cpu });
        Assert.Equal("compact", model.Contract.Architecture);
        Assert.Equal(128, model.Contract.ImageSize);
        var files = new PhotoFile();
        using var damaged = files.Read(Path.Combine(root, "samples", "center.png"));
        using var original = files.Read(Path.Combine(root, "samples", "center-original.png"));
        using var mask = files.Read(Path.Combine(root, "samples", "center-mask.png"));
        var holes = MaskRule.Read(mask, damaged.Width, damaged.Height);
        using var repaired = new PhotoRepairer(model).Repair(damaged, holes, out var report);
        Fixture.AssertKnownPixelsIdentical(damaged, repaired, holes);
        Assert.Equal(1, report.Regions);

        // Far closer to the original than the white damage was (the model's measured quality is in its card).
        double damageError = 0, repairError = 0;
        for (int y = 0; y < damaged.Height; y++)
            for (int x = 0; x < damaged.Width; x++)
            {
                if (!holes.Holes[y * damaged.Width + x]) continue;
                var o = original[x, y];
                damageError += Math.Abs(damaged[x, y].R - o.R) + Math.Abs(damaged[x, y].G - o.G) + Math.Abs(damaged[x, y].B - o.B);
                repairError += Math.Abs(repaired[x, y].R - o.R) + Math.Abs(repaired[x, y].G - o.G) + Math.Abs(repaired[x, y].B - o.B);
            }
        Assert.True(repairError < 0.5 * damageError, $"repair error {repairError}, damage error {damageError}");
    }
}
