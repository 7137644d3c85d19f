using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace HotelAgent.Functions.Security;

/// <summary>
/// Response headers against content sniffing and framing on every answer, and the web-chat page's Content-Security-Policy
/// (its inline script and style allowed by hash, nothing else; no framing).
/// </summary>
public static partial class SecurityHeaders
{
    /// <summary>nosniff, no referrer and no framing on every response.</summary>
    public static IApplicationBuilder UseHotelAgentSecurityHeaders(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        http.Response.OnStarting(() =>
        {
            Apply(http.Response.Headers);
            return Task.CompletedTask;
        });
        await next(http);
    });

    /// <summary>Sets the headers every answer carries (standalone at response start, under the Functions host by the worker middleware).</summary>
    public static void Apply(IHeaderDictionary headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.XFrameOptions = "DENY";
    }

    /// <summary>The CSP of an HTML page whose only code is its inline <c>&lt;script&gt;</c> and <c>&lt;style&gt;</c> blocks.</summary>
    public static string ContentSecurityPolicyFor(string html)
    {
        ArgumentNullException.ThrowIfNull(html);
        var scripts = string.Join(' ', ScriptBlocks().Matches(html).Select(m => Hash(m.Groups[1].Value)));
        var styles = string.Join(' ', StyleBlocks().Matches(html).Select(m => Hash(m.Groups[1].Value)));
        return $"default-src 'none'; script-src {(scripts.Length == 0 ? "'none'" : scripts)}; style-src {(styles.Length == 0 ? "'none'" : styles)}; "
            + "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    }

    private static string Hash(string content) => $"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(content)))}'";

    [GeneratedRegex(@"<script>(.*?)</script>", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex ScriptBlocks();

    [GeneratedRegex(@"<style>(.*?)</style>", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex StyleBlocks();
}
