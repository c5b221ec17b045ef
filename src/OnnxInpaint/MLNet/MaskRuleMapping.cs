using Inpaint.Contract;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace Inpaint.OnnxInpaint.MLNet;

/// <summary>A mask's luminance and alpha planes, 0..255 (inputs of <see cref="MaskRuleMapping"/>).</summary>
public sealed class MaskPlanes
{
    /// <summary>Luminance per pixel.</summary>
    [ColumnName(MaskRuleMapping.LumaColumn)] public float[] Luma { get; set; } = [];

    /// <summary>Alpha per pixel.</summary>
    [ColumnName(MaskRuleMapping.AlphaColumn)] public float[] Alpha { get; set; } = [];
}

/// <summary>The contract's mask input, 0..255 (output of <see cref="MaskRuleMapping"/>).</summary>
public sealed class ContractMask
{
    /// <summary>255 where the pixel is a hole, else 0 (or the luminance itself, which the graph thresholds at 127.5).</summary>
    [ColumnName(ContractNames.MaskInput)] public float[] Mask { get; set; } = [];
}

/// <summary>
/// The mask convention as a stateless ML.NET mapping: when the mask's alpha is not fully opaque, holes are where
/// alpha &lt; 128; otherwise the luminance goes through (the graph's own test makes luminance &gt;= 127.5 a hole).
/// A pipeline that holds it needs <c>mlContext.ComponentCatalog.RegisterAssembly(typeof(MaskRuleMapping).Assembly)</c>
/// before <c>mlContext.Model.Load</c>.
/// </summary>
[CustomMappingFactoryAttribute(ContractName)]
public sealed class MaskRuleMapping : CustomMappingFactory<MaskPlanes, ContractMask>
{
    /// <summary>The contract name saved with the pipeline.</summary>
    public const string ContractName = "Inpaint.MaskRule";

    internal const string LumaColumn = "__inpaint_mask_luma", AlphaColumn = "__inpaint_mask_alpha";

    /// <summary>Applies the rule to one mask.</summary>
    public static void Map(MaskPlanes input, ContractMask output)
    {
        bool useAlpha = false;
        foreach (float a in input.Alpha)
            if (a < MaskConvention.Opaque) { useAlpha = true; break; }
        var mask = new float[input.Luma.Length];
        if (useAlpha)
            for (int i = 0; i < mask.Length; i++) mask[i] = input.Alpha[i] < MaskConvention.HoleAlphaBelow ? 255f : 0f;
        else
            Array.Copy(input.Luma, mask, mask.Length);
        output.Mask = mask;
    }

    /// <inheritdoc />
    public override Action<MaskPlanes, ContractMask> GetMapping() => Map;
}
