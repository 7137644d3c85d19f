using Microsoft.Extensions.Configuration;

namespace HotelAgent.Core.Configuration;

/// <summary>
/// In Production, refuses to start when a required secret is missing or still a placeholder,
/// naming the setting (never its value).
/// </summary>
public static class ProductionSecrets
{
    /// <summary>Settings that must hold real secrets in Production, in <c>Section__Key</c> form.</summary>
    public static readonly IReadOnlyList<string> Required =
    [
        "WhatsApp__AccessToken",
        "WhatsApp__AppSecret",
        "WhatsApp__VerifyToken",
        "WhatsApp__PhoneNumberId",
        "Staff__ApiKey",
        "Security__ConversationIdKey",
    ];

    private static readonly string[] PlaceholderMarkers = ["dev-", "changeme", "change-me", "placeholder", "your-", "<", "xxx", "todo"];

    public static bool IsPlaceholder(string? value) =>
        string.IsNullOrWhiteSpace(value)
        || PlaceholderMarkers.Any(m => value.Trim().StartsWith(m, StringComparison.OrdinalIgnoreCase))
        || value.Contains("placeholder", StringComparison.OrdinalIgnoreCase);

    /// <summary>Names of required settings that are missing or placeholders.</summary>
    public static IReadOnlyList<string> FindProblems(IConfiguration configuration, IEnumerable<string>? extraRequired = null)
    {
        var required = Required.Concat(extraRequired ?? []);
        if (string.Equals(configuration["Email:Enabled"], "true", StringComparison.OrdinalIgnoreCase))
        {
            required = required.Concat(["Email__Address"]);
            var auth = configuration["Email:Auth"];
            if (string.IsNullOrWhiteSpace(auth) || string.Equals(auth, "Password", StringComparison.OrdinalIgnoreCase))
            {
                required = required.Concat(["Email__Password"]);
            }
        }

        return required.Where(name => IsPlaceholder(configuration[name.Replace("__", ":", StringComparison.Ordinal)])).ToArray();
    }

    /// <exception cref="InvalidOperationException">A required secret is missing or a placeholder.</exception>
    public static void EnsureValid(IConfiguration configuration)
    {
        var problems = FindProblems(configuration);
        if (problems.Count > 0)
        {
            throw new InvalidOperationException(
                "HotelAgent refuses to start in Production: these settings are missing or still placeholders: "
                + string.Join(", ", problems)
                + ". Set them as app settings (Key Vault references in Azure) or environment variables.");
        }
    }
}
