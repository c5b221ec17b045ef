using System.Runtime.InteropServices;
using Inpaint.Trainer.Cli;

namespace Inpaint.Trainer.Tests;

/// <summary>The trainer's OpenMP wait policy reaches native code (where libtorch's OpenMP reads it), and a user's choice wins.</summary>
public class TorchWaitPolicyTests
{
    [DllImport("libc", EntryPoint = "getenv")]
    private static extern IntPtr NativeGetEnv([MarshalAs(UnmanagedType.LPUTF8Str)] string name);

    [Fact]
    public void PassiveWaitsAreSetNativelyUnlessTheUserChoseAPolicy()
    {
        string? chosen = Environment.GetEnvironmentVariable(TorchWaitPolicy.Variable);
        string policy = TorchWaitPolicy.Apply();
        if (!string.IsNullOrWhiteSpace(chosen))
        {
            Assert.Equal(chosen, policy); // the user's choice wins
            return;
        }
        if (!OperatingSystem.IsLinux())
        {
            // setenv is libc's: on Windows the trainer leaves the runtime's default (and says so).
            if (!OperatingSystem.IsMacOS()) Assert.Equal("the runtime's default", policy);
            return;
        }
        Assert.Equal("PASSIVE", policy);
        Assert.Equal("PASSIVE", Marshal.PtrToStringUTF8(NativeGetEnv(TorchWaitPolicy.Variable)));
    }
}
