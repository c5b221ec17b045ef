using System.CommandLine;
using Inpaint.Imaging;
using Inpaint.Masks;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Inpaint.Cli;

/// <summary>
/// <c>inpaint damage PHOTO -o OUT --kinds scratch,dust,text [--mask-out MASK]</c>: draws the detector's synthetic damage
/// on a photo (a test photo for <c>detect</c> and <c>repair --auto</c>, with the true damage as a mask to compare with).
/// </summary>
internal static class DamageCommand
{
    public static Command Build(TextWriter stdout)
    {
        var input = new Argument<string>("photo") { Description = "The photo to damage (it is not changed)" };
        var output = new Option<string>("--output", "-o") { Description = "The damaged photo to write", Required = true };
        var kinds = new Option<string>("--kinds") { Description = $"Damage to draw, in order: {string.Join(", ", DamageKinds.All.Select(k => k.Word()))}", DefaultValueFactory = _ => "scratch,dust,text" };
        var seed = new Option<int>("--seed") { Description = "Seed of the damage", DefaultValueFactory = _ => 1 };
        var maskOut = new Option<string?>("--mask-out") { Description = "Also write the pixels the damage changed as a mask (PNG, white = damage)" };
        var command = new Command("damage", "Draws synthetic damage (scratches, dust, captions...) on a photo, to try the damage detector") { input, output, kinds, seed, maskOut };
        command.SetAction(p =>
        {
            string photoPath = p.GetValue(input)!, outPath = p.GetValue(output)!;
            var drawn = Parse(p.GetValue(kinds)!);
            if (Path.GetFullPath(outPath) == Path.GetFullPath(photoPath)) throw new UserError($"the output '{outPath}' is the photo (inputs are never overwritten)");
            if (!PhotoFile.Extensions.Contains(Path.GetExtension(outPath))) throw new UserError($"the output '{outPath}' must end in {PhotoFile.ExtensionNames}");
            string? maskPath = p.GetValue(maskOut);
            if (maskPath is not null && !string.Equals(Path.GetExtension(maskPath), ".png", StringComparison.OrdinalIgnoreCase))
                throw new UserError($"the mask '{maskPath}' must end in .png");
            var files = new PhotoFile();
            using Photo photo = files.Open(photoPath);
            var (damaged, truth) = PhotoDamage.Draw(photo.Pixels, drawn, p.GetValue(seed));
            using (damaged)
                files.Write(damaged, photo, outPath);
            if (maskPath is not null) PhotoDamage.SaveMask(truth, photo.Width, photo.Height, maskPath);
            stdout.WriteLine($"drew {string.Join(", ", drawn.Select(k => k.Word()))} on {photoPath} -> {outPath} ({truth.Count(t => t):N0} pixels changed)");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Damage kinds from their words, comma-separated.</summary>
    /// <exception cref="UserError">An unknown word.</exception>
    public static IReadOnlyList<DamageKind> Parse(string words)
    {
        var kinds = new List<DamageKind>();
        foreach (string word in words.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            kinds.Add(DamageKinds.Parse(word) ?? throw new UserError($"unknown damage kind '{word}' (known: {string.Join(", ", DamageKinds.All.Select(k => k.Word()))})"));
        return kinds.Count > 0 ? kinds : throw new UserError("--kinds names no damage");
    }
}
