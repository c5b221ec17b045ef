using System.Globalization;

namespace Inpaint.Hosting;

/// <summary>Gains and leads as the programs print them: always signed, and a value that rounds to zero is "+0.00", never "-0.00" or "-+0.00".</summary>
public static class SignedNumber
{
    /// <summary><paramref name="value"/> with a sign and <paramref name="decimals"/> decimals, invariant culture.</summary>
    public static string Format(double value, int decimals = 2)
    {
        string digits = decimals > 0 ? "0." + new string('0', decimals) : "0";
        // The third section formats a value that rounds to zero; without it .NET writes "-+0.00" for -0.001.
        return value.ToString($"+{digits};-{digits};+{digits}", CultureInfo.InvariantCulture);
    }
}
