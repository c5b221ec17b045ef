using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Inpaint.OnnxInpaint.Tests;

/// <summary>
/// What this machine offers, found independently of the code under test, so a test can take the path the machine
/// offers and still fail when the code takes the wrong one.
/// </summary>
public static class MachineFacts
{
    [DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint GetEffectiveUserId();

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    /// <summary>Running as root (can mount a tmpfs).</summary>
    public static bool IsRoot => OperatingSystem.IsLinux() && GetEffectiveUserId() == 0;

    /// <summary>Sends a POSIX signal (15 = SIGTERM, 2 = SIGINT).</summary>
    public static void Signal(Process process, int signal) => Assert.Equal(0, Kill(process.Id, signal));

    /// <summary>
    /// Null when an NVIDIA GPU and the libraries ONNX Runtime's CUDA provider needs (CUDA 13, cuDNN 9) are present;
    /// otherwise what is missing.
    /// </summary>
    public static string? CudaMissing()
    {
        if (!File.Exists("/dev/nvidiactl") && !Directory.Exists("/proc/driver/nvidia")) return "no NVIDIA GPU driver";
        foreach (string library in new[] { "libcuda.so.1", "libcudart.so.13", "libcublasLt.so.13", "libcudnn.so.9" })
        {
            if (!NativeLibrary.TryLoad(library, out IntPtr handle)) return $"{library} cannot be loaded";
            NativeLibrary.Free(handle);
        }
        return null;
    }
}

/// <summary>A fact that needs root (to mount a tmpfs); elsewhere it is reported as skipped, with the reason.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (!MachineFacts.IsRoot) Skip = "needs root to mount a small tmpfs (CI runs as root); run the suite as root to check a full and a read-only disk";
    }
}

/// <summary>Runs the <c>inpaint</c> command as a child process, as a user would.</summary>
public static class CliProcess
{
    private static string Dll => Path.Combine(AppContext.BaseDirectory, "inpaint.dll");

    public static Process Start(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Dll);
        foreach (string a in args) info.ArgumentList.Add(a);
        return Process.Start(info)!;
    }

    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        using Process process = Start(args);
        Task<string> stdout = process.StandardOutput.ReadToEndAsync(), stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "inpaint did not finish in 2 minutes");
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
