namespace Inpaint.Server.Tests.Browser;

/// <summary>
/// A test that drives Debian's Chromium. Where the browser is missing it is skipped with the reason shown, except
/// in CI (CI set), where .ci/run installs Chromium: there a missing browser fails the test, loudly.
/// </summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    /// <summary>Debian's Chromium (package chromium); Playwright cannot download its own browsers here.</summary>
    public const string Chromium = "/usr/bin/chromium";

    public BrowserFactAttribute()
    {
        if (!File.Exists(Chromium) && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
            Skip = $"{Chromium} is missing: install it with 'apt-get install chromium' (CI installs it and fails without it)";
    }
}
