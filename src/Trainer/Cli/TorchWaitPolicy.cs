using System.Runtime.InteropServices;

namespace Inpaint.Trainer.Cli;

/// <summary>
/// How libtorch's OpenMP threads wait between parallel regions. By default they spin, which is fastest on an idle
/// machine but collapses when another CPU-heavy process shares the cores (measured: two trainings side by side ran at
/// 9.3 and 11.1 images/s spinning, 41.1 and 44.6 passive; alone, 91.1 against 85.8; docs/trainer.md). The trainer
/// therefore asks for passive waits unless the user chose a policy with the standard <c>OMP_WAIT_POLICY</c>.
/// </summary>
internal static class TorchWaitPolicy
{
    /// <summary>The OpenMP variable.</summary>
    public const string Variable = "OMP_WAIT_POLICY";

    /// <summary>
    /// Sets <c>OMP_WAIT_POLICY=PASSIVE</c> in the native environment (which OpenMP reads when libtorch loads, so call it
    /// before the first TorchSharp call) unless it is set; returns the policy in effect. .NET's own
    /// <see cref="Environment.SetEnvironmentVariable(string, string)"/> does not reach native code on Unix, hence libc's setenv.
    /// </summary>
    public static string Apply()
    {
        string? chosen = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrWhiteSpace(chosen)) return chosen;
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return "the runtime's default";
        return SetEnv(Variable, "PASSIVE", 0) == 0 ? "PASSIVE" : "the runtime's default";
    }

    // DllImport rather than LibraryImport: the latter needs unsafe code for this one call.
    [DllImport("libc", EntryPoint = "setenv")]
    private static extern int SetEnv([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);
}
