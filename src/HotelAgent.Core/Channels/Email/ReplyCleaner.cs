using System.Text.RegularExpressions;

namespace HotelAgent.Core.Channels.Email;

/// <summary>
/// Keeps only what the guest wrote in a reply: cuts at the quoted-history header ("El ... escribió:",
/// "On ... wrote:", "-----Original Message-----", Outlook "De:/Enviado:" blocks), drops lines quoted with
/// "&gt;", and cuts signatures ("-- " delimiter, "Enviado desde mi iPhone", "Sent from my ...").
/// </summary>
public static partial class ReplyCleaner
{
    public static string Clean(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n');
        var kept = new List<string>(lines.Length);
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var trimmed = line.Trim();
            if (trimmed is "--" || line.TrimEnd('\t') == "-- " || IsQuoteHeader(lines, i) || IsOutlookHeaderBlock(lines, i)
                || OriginalMessage().IsMatch(trimmed) || MobileSignature().IsMatch(trimmed))
            {
                break;
            }

            if (trimmed.StartsWith('>'))
            {
                continue;
            }

            kept.Add(line);
        }

        // Separator lines left just above a cut ("____", "-----") are noise.
        while (kept.Count > 0 && (kept[^1].Trim().Length == 0 || Separator().IsMatch(kept[^1].Trim())))
        {
            kept.RemoveAt(kept.Count - 1);
        }

        return HtmlText.Tidy(string.Join('\n', kept));
    }

    private static bool IsQuoteHeader(string[] lines, int i)
    {
        var first = lines[i].Trim();
        if (EndsWithQuoteVerb().IsMatch(first) && (QuoteHeaderStart().IsMatch(first) || first.Contains('@', StringComparison.Ordinal)))
        {
            return LooksLikeAttribution(first);
        }

        if (!QuoteHeaderStart().IsMatch(first))
        {
            return false;
        }

        // The attribution line is often wrapped over two or three lines by the sender's client.
        var joined = first;
        for (var k = 1; k <= 2 && i + k < lines.Length; k++)
        {
            joined += " " + lines[i + k].Trim();
            if (EndsWithQuoteVerb().IsMatch(joined))
            {
                return LooksLikeAttribution(joined);
            }
        }

        return false;
    }

    /// <summary>Real attribution lines carry a date/time or an address, and are short.</summary>
    private static bool LooksLikeAttribution(string line) =>
        line.Length < 400 && (line.Any(char.IsAsciiDigit) || line.Contains('@', StringComparison.Ordinal));

    private static bool IsOutlookHeaderBlock(string[] lines, int i)
    {
        if (!OutlookFrom().IsMatch(lines[i].Trim()))
        {
            return false;
        }

        for (var k = 1; k <= 4 && i + k < lines.Length; k++)
        {
            if (OutlookSent().IsMatch(lines[i + k].Trim()))
            {
                return true;
            }
        }

        return false;
    }

    [GeneratedRegex(@"^(El|On|Le|Am|Il|Em|Op)\s", RegexOptions.CultureInvariant)]
    private static partial Regex QuoteHeaderStart();

    [GeneratedRegex(@"(escribió|escribio|wrote|a écrit|schrieb|ha scritto|escreveu|schreef)\s*:\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex EndsWithQuoteVerb();

    [GeneratedRegex(@"^-{2,}\s*(Original Message|Mensaje original|Message d'origine|Ursprüngliche Nachricht)\s*-{2,}$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex OriginalMessage();

    [GeneratedRegex(@"^\*?(From|De|Von):\*?\s+\S", RegexOptions.CultureInvariant)]
    private static partial Regex OutlookFrom();

    [GeneratedRegex(@"^\*?(Sent|Enviado|Date|Fecha|Gesendet|Envoyé):\*?\s+\S", RegexOptions.CultureInvariant)]
    private static partial Regex OutlookSent();

    [GeneratedRegex(@"^(Enviado desde mi|Enviado de mi|Sent from my|Sent from Mail for Windows|Enviado desde Correo para Windows|Get Outlook for|Obtener Outlook para|Descargar Outlook para|Sent from Outlook|Sent from Yahoo Mail|Enviado desde Yahoo Mail)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex MobileSignature();

    [GeneratedRegex(@"^[_\-=*]{4,}$", RegexOptions.CultureInvariant)]
    private static partial Regex Separator();
}
