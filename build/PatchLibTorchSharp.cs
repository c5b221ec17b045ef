// MSBuild task compiled by RoslynCodeTaskFactory (see Directory.Build.targets).
//
// TorchSharp 0.107's libLibTorchSharp.so was linked against GCC 13's libstdc++ and records a
// version need on GLIBCXX_3.4.32 for one symbol (_ZSt21ios_base_library_initv) that is referenced
// but never relocated. Debian 12's libstdc++ stops at GLIBCXX_3.4.30, so the loader refuses the
// library. Renaming that version need to GLIBCXX_3.4.30 (same length, hash recomputed) in the copy
// in the build output lets it load; nothing in the NuGet cache is touched.
using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public sealed class PatchLibTorchSharp : Task
{
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const string Wanted = "GLIBCXX_3.4.32";
    private const string Available = "GLIBCXX_3.4.30";

    [Required] public string LibraryPath { get; set; } = "";

    public string SystemLibStdCxx { get; set; } = "";

    public override bool Execute()
    {
        if (!File.Exists(LibraryPath)) return true;
        if (!NeedsPatch())
        {
            Log.LogMessage(MessageImportance.Low, "libstdc++ provides " + Wanted + "; " + LibraryPath + " left as it is.");
            return true;
        }
        try
        {
            byte[] elf = File.ReadAllBytes(LibraryPath);
            int patched = Patch(elf);
            if (patched == 0)
            {
                Log.LogMessage(MessageImportance.Low, LibraryPath + " has no " + Wanted + " version need (already patched).");
                return true;
            }
            string temp = LibraryPath + ".patching";
            File.WriteAllBytes(temp, elf);
            File.Copy(temp, LibraryPath, true); // netstandard2.0 has no File.Move overwrite
            File.Delete(temp);
            Log.LogMessage(MessageImportance.High, "Patched " + LibraryPath + ": " + Wanted + " -> " + Available + " (" + patched + " entry).");
            return true;
        }
        catch (Exception e)
        {
            Log.LogError("Could not patch " + LibraryPath + ": " + e.Message);
            return false;
        }
    }

    private bool NeedsPatch()
    {
        string[] candidates = string.IsNullOrEmpty(SystemLibStdCxx)
            ? new[] { "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6" }
            : new[] { SystemLibStdCxx };
        foreach (string path in candidates)
        {
            if (!File.Exists(path)) continue;
            byte[] bytes = File.ReadAllBytes(path);
            return IndexOf(bytes, Encoding.ASCII.GetBytes(Wanted + "\0")) < 0;
        }
        return false; // not a glibc Linux we know: leave the file alone
    }

    /// <summary>Rewrites every vernaux entry named <see cref="Wanted"/>; returns how many.</summary>
    private static int Patch(byte[] elf)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            throw new InvalidDataException("not an ELF file");
        if (elf[4] != 2 || elf[5] != 1) throw new InvalidDataException("only 64-bit little-endian ELF is supported");
        long shoff = (long)BitConverter.ToUInt64(elf, 0x28);
        int shentsize = BitConverter.ToUInt16(elf, 0x3A);
        int shnum = BitConverter.ToUInt16(elf, 0x3C);
        int count = 0;
        for (int i = 0; i < shnum; i++)
        {
            long sh = shoff + (long)i * shentsize;
            if (BitConverter.ToUInt32(elf, (int)sh + 4) != ShtGnuVerneed) continue;
            long offset = (long)BitConverter.ToUInt64(elf, (int)sh + 0x18);
            uint link = BitConverter.ToUInt32(elf, (int)sh + 0x28);
            long strtab = (long)BitConverter.ToUInt64(elf, (int)(shoff + link * shentsize) + 0x18);
            long need = offset;
            while (true)
            {
                int auxCount = BitConverter.ToUInt16(elf, (int)need + 2);
                long aux = need + BitConverter.ToUInt32(elf, (int)need + 8);
                for (int a = 0; a < auxCount; a++)
                {
                    long name = strtab + BitConverter.ToUInt32(elf, (int)aux + 8);
                    if (ReadString(elf, name) == Wanted)
                    {
                        Encoding.ASCII.GetBytes(Available).CopyTo(elf, name);
                        BitConverter.GetBytes(ElfHash(Available)).CopyTo(elf, aux);
                        count++;
                    }
                    uint nextAux = BitConverter.ToUInt32(elf, (int)aux + 12);
                    if (nextAux == 0) break;
                    aux += nextAux;
                }
                uint next = BitConverter.ToUInt32(elf, (int)need + 12);
                if (next == 0) break;
                need += next;
            }
        }
        return count;
    }

    private static string ReadString(byte[] bytes, long start)
    {
        long end = start;
        while (end < bytes.Length && bytes[end] != 0) end++;
        return Encoding.ASCII.GetString(bytes, (int)start, (int)(end - start));
    }

    private static uint ElfHash(string name)
    {
        uint h = 0;
        foreach (char c in name)
        {
            h = (h << 4) + c;
            uint g = h & 0xf0000000;
            if (g != 0) h ^= g >> 24;
            h &= ~g;
        }
        return h;
    }

    private static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (int i = 0; i <= haystack.Length - needle.Length; i++)
        {
            int j = 0;
            while (j < needle.Length && haystack[i + j] == needle[j]) j++;
            if (j == needle.Length) return i;
        }
        return -1;
    }
}
