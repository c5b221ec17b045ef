using System.Diagnostics;
using System.IO.Compression;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Inpaint.OnnxInpaint.Tests;

/// <summary>
/// The packages as a .NET team adopts them: packed into a folder feed, referenced from a fresh console app outside
/// the repository, which runs the README's C# block as written; and without a native ONNX Runtime, the one exception
/// that names both packages.
/// </summary>
public sealed class PackageConsumerTests
{
    private static readonly string[] Packages = ["Inpaint.Contract", "Inpaint.Imaging", "Inpaint.OnnxInpaint", "Inpaint.OnnxInpaint.AspNetCore"];

    [Fact]
    public void ThePackagesRestoreInAFreshAppThatRunsTheReadmesBlockAndNameTheMissingRuntime()
    {
        string root = ModelTests.RepoRoot();
        string work = Fixture.TempDir(), feed = Path.Combine(work, "feed"), app = Path.Combine(work, "app");
        // A version of its own: the machine's package cache keeps whatever it has seen under a version.
        string version = $"0.0.0-consumer.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";
        Dotnet(root, "pack", Path.Combine(root, "Inpaint.Packages.slnf"), "-c", "Release", "-o", feed, $"-p:MinVerVersionOverride={version}",
            "--artifacts-path", Path.Combine(work, "artifacts"));
        foreach (string id in Packages)
        {
            string package = Path.Combine(feed, $"{id}.{version}.nupkg");
            Assert.True(File.Exists(package), $"{id} was not packed");
            Assert.True(File.Exists(Path.ChangeExtension(package, ".snupkg")), $"{id} has no symbols package");
            CheckMetadata(package, id);
        }

        Directory.CreateDirectory(Path.Combine(app, "models"));
        File.Copy(Path.Combine(root, "models", "inpaint-freeform.onnx"), Path.Combine(app, "models", "inpaint-freeform.onnx"));
        using (var photo = Image.Load<Rgba32>(Path.Combine(root, "samples", "scratches.png"))) photo.SaveAsJpeg(Path.Combine(app, "photo.jpg"));
        File.Copy(Path.Combine(root, "samples", "scratches-mask.png"), Path.Combine(app, "mask.png"));
        File.WriteAllText(Path.Combine(app, "Program.cs"), ReadmeBlock(root));
        // Beside the README's block, untouched: which runtime ran it.
        File.WriteAllText(Path.Combine(app, "Runtime.cs"),
            "static class Runtime { [System.Runtime.CompilerServices.ModuleInitializer] internal static void Print() => System.Console.WriteLine($\"runtime {System.Environment.Version}\"); }");
        File.WriteAllText(Path.Combine(app, "nuget.config"),
            $"<configuration><packageSources><add key=\"inpaint\" value=\"{feed}\" /></packageSources></configuration>");
        WriteProject(app, version, nativeRuntime: true);
        Dotnet(app, "run", "-c", "Release");
        CheckKnownPixels(app);

        // On .NET 8 (LTS): the package's net8.0 assets, run self-contained on the 8.0 runtime (this machine has only 10).
        File.Delete(Path.Combine(app, "repaired.png"));
        WriteProject(app, version, nativeRuntime: true, framework: "net8.0");
        string net8 = Dotnet(app, "run", "-c", "Release");
        CheckKnownPixels(app);
        Assert.Contains("runtime 8.0.", net8);

        // The same app without the native package: the library's one exception, naming both packages.
        WriteProject(app, version, nativeRuntime: false);
        File.Delete(Path.Combine(app, "repaired.png"));
        string failure = Dotnet(app, expectSuccess: false, "run", "-c", "Release");
        Assert.Contains($"{nameof(OnnxRuntimeNotFoundException)}: {OnnxRuntimeNotFoundException.Advice}", failure);
        Assert.False(File.Exists(Path.Combine(app, "repaired.png")));
    }

    [Fact]
    public void TheToolInstallsFromAFeedAndRepairsWithTheModelItCarriesOnTheCpu()
    {
        string root = ModelTests.RepoRoot(), work = Fixture.TempDir(), feed = Path.Combine(work, "feed"), tools = Path.Combine(work, "tools");
        string version = $"0.0.0-tool.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";
        Dotnet(root, "pack", Path.Combine(root, "src", "OnnxInpaint.Cli"), "-c", "Release", "-o", feed, "-p:InpaintOnnxRuntime=cpu",
            $"-p:MinVerVersionOverride={version}", "--artifacts-path", Path.Combine(work, "artifacts"));
        string package = Path.Combine(feed, $"Inpaint.Cli.{version}.nupkg");
        Assert.True(new FileInfo(package).Length < 250L * 1024 * 1024, "the tool is over NuGet's 250 MB limit");
        using (ZipArchive zip = ZipFile.OpenRead(package))
        {
            Assert.NotNull(zip.GetEntry("tools/net10.0/any/models/inpaint-freeform.onnx"));
            foreach (string platform in new[] { "linux-x64", "linux-arm64", "osx-arm64", "win-x64" })
                Assert.True(zip.Entries.Any(e => e.FullName.StartsWith($"tools/net10.0/any/runtimes/{platform}/native/", StringComparison.Ordinal)
                                                 && e.Name.Contains("onnxruntime", StringComparison.Ordinal)), $"no ONNX Runtime for {platform}");
            Assert.DoesNotContain(zip.Entries, e => e.FullName.Contains("/runtimes/ios/", StringComparison.Ordinal));
        }
        Dotnet(work, "tool", "install", "--tool-path", tools, "--add-source", feed, "Inpaint.Cli", "--version", version);
        Assert.Equal(version, Run(Path.Combine(tools, "inpaint"), work, expectSuccess: true, "--version").Trim());

        // From a folder with no models/: the tool finds the model it carries.
        string photos = Path.Combine(work, "photos");
        Directory.CreateDirectory(photos);
        File.Copy(Path.Combine(root, "samples", "scratches.png"), Path.Combine(photos, "photo.png"));
        File.Copy(Path.Combine(root, "samples", "scratches-mask.png"), Path.Combine(photos, "mask.png"));
        string inpaint = Path.Combine(tools, "inpaint");
        string repaired = Run(inpaint, photos, expectSuccess: true, "repair", "photo.png", "--mask", "mask.png", "-o", "out.png");
        Assert.Contains("8,553 hole pixels", repaired);
        using (var output = Image.Load<Rgba32>(Path.Combine(photos, "out.png"))) Assert.Equal((640, 480), (output.Width, output.Height));
        string cuda = Run(inpaint, photos, expectSuccess: false, "repair", "photo.png", "--mask", "mask.png", "-o", "cuda.png", "--device", "cuda");
        Assert.Contains("This inpaint is the CPU build (the dotnet tool Inpaint.Cli). For CUDA, run the command from a clone", cuda);
        Assert.False(File.Exists(Path.Combine(photos, "cuda.png")));
    }

    [Fact]
    public void AnUndeclaredPublicMemberFailsTheBuildOfAPackage()
    {
        string root = ModelTests.RepoRoot(), work = Fixture.TempDir(), probe = Path.Combine(work, "Probe.cs");
        File.WriteAllText(probe, "namespace Inpaint.Contract;\npublic static class ApiProbe { public static int Answer => 42; }\n");
        string output = Dotnet(root, expectSuccess: false, "build", Path.Combine(root, "src", "Contract"), "-f", "net10.0", $"-p:InpaintApiProbe={probe}",
            "--artifacts-path", Path.Combine(work, "artifacts"));
        Assert.Contains("RS0016", output);
        Assert.Contains("ApiProbe", output);
    }

    [Fact]
    public void RemovingADeclaredPublicMemberFailsTheBuildOfAPackage()
    {
        // A copy of what Contract builds from, with one declared constant deleted from its source.
        string root = ModelTests.RepoRoot(), copy = Path.Combine(Fixture.TempDir(), "repo");
        foreach (string file in new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "global.json", "LICENSE",
                     "src/PACKAGE.md", "build/icon.png", "build/PatchLibTorchSharp.cs" })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(copy, file))!);
            File.Copy(Path.Combine(root, file), Path.Combine(copy, file));
        }
        string contract = Path.Combine(copy, "src", "Contract"), original = Path.Combine(root, "src", "Contract");
        foreach (string file in Directory.EnumerateFiles(original, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(original, file);
            if (relative.Split(Path.DirectorySeparatorChar)[0] is "bin" or "obj") continue;
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(contract, relative))!);
            File.Copy(file, Path.Combine(contract, relative));
        }
        string names = Path.Combine(contract, "ContractNames.cs");
        string source = File.ReadAllText(names);
        const string removed = "    public const string PrefilledInput = \"prefilled\";";
        Assert.Contains(removed, source);
        File.WriteAllText(names, source.Replace(removed, ""));
        string output = Dotnet(copy, expectSuccess: false, "build", contract, "-f", "net10.0");
        Assert.Contains("RS0017", output);
        Assert.Contains("PrefilledInput", output);
    }

    /// <summary>
    /// The README block's output: the photo's size, and every pixel outside the mask (grown by 1, as the block grows it)
    /// exactly the decoded photo's, some inside changed.
    /// </summary>
    private static void CheckKnownPixels(string app)
    {
        using var photo = new Inpaint.Imaging.PhotoFile().Read(Path.Combine(app, "photo.jpg")); // decoded as the block decodes it
        using var mask = Image.Load<Rgba32>(Path.Combine(app, "mask.png"));
        using var repaired = Image.Load<Rgba32>(Path.Combine(app, "repaired.png"));
        Assert.Equal((photo.Width, photo.Height), (repaired.Width, repaired.Height));
        Inpaint.Imaging.HoleMap holes = Inpaint.Imaging.MaskRule.Read(mask, photo.Width, photo.Height).Grow(1);
        int changed = 0;
        for (int y = 0; y < photo.Height; y++)
            for (int x = 0; x < photo.Width; x++)
            {
                if (!holes[x, y]) Assert.True(photo[x, y] == repaired[x, y], $"known pixel ({x}, {y}) changed");
                else if (photo[x, y] != repaired[x, y]) changed++;
            }
        Assert.True(changed > holes.Count / 2, $"only {changed} of {holes.Count} hole pixels changed");
    }

    /// <summary>The nuspec's metadata and the files every package carries.</summary>
    private static void CheckMetadata(string package, string id)
    {
        using ZipArchive zip = ZipFile.OpenRead(package);
        foreach (string file in new[] { "LICENSE", "README.md", "icon.png", $"lib/net10.0/{id}.dll", $"lib/net10.0/{id}.xml", $"lib/net8.0/{id}.dll" })
            Assert.True(zip.GetEntry(file) is not null, $"{id} lacks {file}");
        using Stream nuspec = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open();
        XElement metadata = XDocument.Load(nuspec).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string Field(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value ?? "";
        Assert.Equal("MIT", Field("license"));
        Assert.Equal("README.md", Field("readme"));
        Assert.Equal("icon.png", Field("icon"));
        Assert.False(string.IsNullOrWhiteSpace(Field("description")) || Field("description") == "Package Description", $"{id} has no description");
        Assert.Contains("inpainting", Field("tags"));
    }

    /// <summary>The C# block under the README's "In C#" heading, exactly as users copy it.</summary>
    private static string ReadmeBlock(string root)
    {
        string readme = File.ReadAllText(Path.Combine(root, "README.md"));
        Match block = Regex.Match(readme, @"## In C#\s+```csharp\n(?<code>.*?)```", RegexOptions.Singleline);
        Assert.True(block.Success, "the README has no C# block under 'In C#'");
        return block.Groups["code"].Value;
    }

    private static void WriteProject(string app, string version, bool nativeRuntime, string framework = "net10.0") =>
        File.WriteAllText(Path.Combine(app, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>{framework}</TargetFramework>
                {(framework == "net10.0" ? "" : "<RuntimeIdentifier>linux-x64</RuntimeIdentifier><SelfContained>true</SelfContained>")}
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Inpaint.OnnxInpaint" Version="{version}" />
                {(nativeRuntime ? """<PackageReference Include="Microsoft.ML.OnnxRuntime" Version="1.31.0" />""" : "")}
              </ItemGroup>
            </Project>
            """);

    private static string Dotnet(string directory, params string[] args) => Run("dotnet", directory, expectSuccess: true, args);

    private static string Dotnet(string directory, bool expectSuccess, params string[] args) => Run("dotnet", directory, expectSuccess, args);

    /// <summary>Runs <paramref name="program"/> in <paramref name="directory"/> as a user's shell would: none of the test host's MSBuild settings leak in.</summary>
    private static string Run(string program, string directory, bool expectSuccess, params string[] args)
    {
        var info = new ProcessStartInfo(program) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args) info.ArgumentList.Add(a);
        foreach (string key in info.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || k == "VSTEST_HOST_DEBUG").ToList())
            info.Environment.Remove(key);
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(8))) process.Kill(entireProcessTree: true);
        string all = output + error.Result;
        string command = $"{Path.GetFileName(program)} {string.Join(' ', args)}";
        if (expectSuccess) Assert.True(process.ExitCode == 0, $"{command} failed:\n{Tail(all)}");
        else Assert.True(process.ExitCode != 0, $"{command} succeeded, expected a failure:\n{Tail(all)}");
        return all;
    }

    private static string Tail(string text) => text.Length <= 4000 ? text : text[^4000..];
}
