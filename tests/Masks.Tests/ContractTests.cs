using Inpaint.Contract;

namespace Inpaint.Masks.Tests;

public class ContractTests
{
    private static readonly string[] Inputs = [ContractNames.ImageInput, ContractNames.MaskInput];
    private static readonly string[] Outputs = [ContractNames.Output];

    public static TheoryData<ModelContract> Contracts => new()
    {
        new ModelContract { Architecture = "compact", ImageSize = 128, Hole = new HoleKind.Center(64), Stride = 32, BlankSize = 56, MinSize = 128 },
        new ModelContract { Architecture = "freeform", ImageSize = 128, Hole = HoleKind.Freeform, Stride = 16, MinSize = 16, Context = 48, Prefill = "multigrid_harmonic" },
    };

    [Theory]
    [MemberData(nameof(Contracts))]
    public void Every_key_round_trips(ModelContract written)
    {
        var metadata = written.ToMetadata().ToDictionary(kv => kv.Key, kv => kv.Value);
        ModelContract read = ModelContract.Parse(metadata, Inputs, Outputs);
        Assert.Equal(written with { Metadata = read.Metadata }, read);
        Assert.All(MetadataKeys.Required, key => Assert.True(metadata.ContainsKey(key), key));
        // Every key written is one the reader interprets: none is left only in the raw dictionary.
        var interpreted = written.Hole is HoleKind.Center
            ? new[] { MetadataKeys.Contract, MetadataKeys.Architecture, MetadataKeys.ImageSize, MetadataKeys.Hole, MetadataKeys.Stride, MetadataKeys.Blank }
            : [MetadataKeys.Contract, MetadataKeys.Architecture, MetadataKeys.ImageSize, MetadataKeys.Hole, MetadataKeys.Stride, MetadataKeys.MinSize, MetadataKeys.Context, MetadataKeys.Prefill];
        Assert.Equal(interpreted.Order(), metadata.Keys.Order());
    }

    [Theory]
    [InlineData("center:64")]
    [InlineData("any")]
    public void Hole_kinds_print_as_they_parse(string text) => Assert.Equal(text, HoleKind.Parse(text).ToString());

    [Theory]
    [InlineData("center")]
    [InlineData("center:-3")]
    [InlineData("square:64")]
    [InlineData("")]
    public void Bad_hole_kinds_are_refused(string text) => Assert.Throws<FormatException>(() => HoleKind.Parse(text));

    [Fact]
    public void Missing_keys_are_named()
    {
        var e = Assert.Throws<InvalidDataException>(() => ModelContract.Parse(new Dictionary<string, string> { [MetadataKeys.Contract] = "1" }, Inputs, Outputs));
        Assert.Contains("inpaint.arch", e.Message);
        Assert.Contains("inpaint.hole", e.Message);
    }

    [Fact]
    public void A_centre_hole_larger_than_the_model_is_refused()
    {
        var metadata = new ModelContract { Architecture = "x", ImageSize = 32, Hole = new HoleKind.Center(64) }.ToMetadata().ToDictionary(kv => kv.Key, kv => kv.Value);
        Assert.Throws<InvalidDataException>(() => ModelContract.Parse(metadata, Inputs, Outputs));
    }

    [Theory]
    [InlineData(128, 128, 64, 32, 32)]
    [InlineData(129, 128, 64, 32, 32)]
    [InlineData(200, 96, 48, 76, 24)]
    public void The_centre_square_is_centred_and_rounded_down(int w, int h, int side, int left, int top)
    {
        var square = CenterSquare.In(w, h, side);
        Assert.Equal((left, top, side), (square.Left, square.Top, square.Side));
        Assert.Equal(square, side == Math.Min(w, h) / 2 ? CenterSquare.HalfOf(w, h) : square);
    }
}
