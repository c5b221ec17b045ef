namespace Inpaint.Server;

/// <summary>
/// Who may call the API and how often (section <c>Inpaint:Access</c>); both are off by default, for a server on
/// localhost. Anything reachable beyond it should set API keys and a rate.
/// </summary>
public sealed class ServerAccess
{
    /// <summary>The header that carries an API key.</summary>
    public const string ApiKeyHeader = "X-Api-Key";

    /// <summary>Repairs a caller may start a minute (0: no limit).</summary>
    public static Setting<int> RequestsPerMinuteSetting { get; } = new("requests-per-minute", 0, 0, 1_000_000,
        "Repairs one caller (API key, else client address) may start a minute; over it: 429 with Retry-After (0: no limit)");

    /// <summary>
    /// The keys that may call <c>/v1/</c> endpoints, sent in <see cref="ApiKeyHeader"/> (empty: no key needed). The page
    /// and the health checks stay open; with keys set, the page cannot repair (it sends no key).
    /// </summary>
    public string[] ApiKeys { get; set; } = [];

    /// <summary>Repairs one caller may start a minute (<see cref="RequestsPerMinuteSetting"/>).</summary>
    public int RequestsPerMinute { get; set; } = RequestsPerMinuteSetting.Default;

    /// <summary>Whether calls need a key.</summary>
    public bool KeysRequired => ApiKeys.Length > 0;

    /// <summary>Every setting out of its range, named by its configuration key.</summary>
    public IEnumerable<string> Problems(string section = "Inpaint:Access")
    {
        if (RequestsPerMinuteSetting.Check(RequestsPerMinute, $"{section}:{nameof(RequestsPerMinute)}") is { } rate) yield return rate;
        for (int i = 0; i < ApiKeys.Length; i++)
            if (string.IsNullOrWhiteSpace(ApiKeys[i]) || ApiKeys[i].Length < 16)
                yield return $"{section}:{nameof(ApiKeys)}:{i} must be at least 16 characters (a key that short is guessable)";
    }
}
