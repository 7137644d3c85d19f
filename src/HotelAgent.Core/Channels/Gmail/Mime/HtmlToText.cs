using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace HotelAgent.Core.Channels.Gmail.Mime;

/// <summary>
/// Converts email HTML to plain text: drops scripts, styles, comments and the head; block elements become
/// line breaks, list items "- "; entities are decoded. Quoted history is dropped: Gmail
/// (<c>gmail_quote</c>), Apple Mail/Thunderbird (<c>blockquote type="cite"</c>, <c>moz-cite-prefix</c>),
/// Yahoo (<c>yahoo_quoted</c>) and Outlook (everything from <c>divRplyFwdMsg</c>/<c>appendonsend</c> on);
/// Gmail signatures (<c>gmail_signature</c>) too.
/// </summary>
public static partial class HtmlToText
{
    private static readonly HashSet<string> BlockElements = new(StringComparer.OrdinalIgnoreCase)
    {
        "address", "article", "aside", "blockquote", "center", "dd", "div", "dl", "dt", "fieldset", "figcaption",
        "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "main", "nav", "ol",
        "p", "pre", "section", "table", "tbody", "thead", "tfoot", "tr", "ul",
    };

    private static readonly HashSet<string> VoidElements = new(StringComparer.OrdinalIgnoreCase)
    {
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr",
    };

    public static string Convert(string html, bool stripQuotedHistory = true)
    {
        ArgumentNullException.ThrowIfNull(html);
        var cleaned = NonContent().Replace(html, " ");
        var sb = new StringBuilder(cleaned.Length / 2);
        string? skipTag = null;
        var skipDepth = 0;
        var inPre = false;
        var last = 0;

        foreach (Match m in Tag().Matches(cleaned))
        {
            if (skipTag is null)
            {
                AppendText(sb, cleaned[last..m.Index], inPre);
            }

            last = m.Index + m.Length;
            var closing = m.Groups[1].Value == "/";
            var name = m.Groups[2].Value.ToLowerInvariant();
            var attributes = m.Groups[3].Value;
            var selfClosing = attributes.EndsWith('/') || VoidElements.Contains(name);

            if (skipTag is not null)
            {
                if (name == skipTag && !selfClosing)
                {
                    skipDepth += closing ? -1 : 1;
                    if (skipDepth == 0)
                    {
                        skipTag = null;
                    }
                }

                continue;
            }

            if (!closing && stripQuotedHistory)
            {
                if (IsOutlookHistoryMarker(attributes))
                {
                    last = cleaned.Length;
                    break;
                }

                if (IsQuoteOrSignature(name, attributes) && !selfClosing)
                {
                    skipTag = name;
                    skipDepth = 1;
                    continue;
                }
            }

            switch (name)
            {
                case "br":
                    sb.Append('\n');
                    break;
                case "li":
                    if (!closing)
                    {
                        sb.Append("\n- ");
                    }

                    break;
                case "p":
                    sb.Append("\n\n");
                    break;
                case "td":
                case "th":
                    if (!closing)
                    {
                        sb.Append(' ');
                    }

                    break;
                case "pre":
                    inPre = !closing;
                    sb.Append('\n');
                    break;
                default:
                    if (BlockElements.Contains(name))
                    {
                        sb.Append('\n');
                    }

                    break;
            }
        }

        if (skipTag is null && last < cleaned.Length)
        {
            AppendText(sb, cleaned[last..], inPre);
        }

        return Tidy(sb.ToString());
    }

    private static void AppendText(StringBuilder sb, string text, bool inPre)
    {
        if (text.Length == 0)
        {
            return;
        }

        if (!inPre)
        {
            text = Whitespace().Replace(text, " ");
        }

        sb.Append(WebUtility.HtmlDecode(text).Replace('\u00A0', ' '));
    }

    private static bool IsQuoteOrSignature(string name, string attributes)
    {
        if (attributes.Length == 0)
        {
            return false;
        }

        var cls = ClassAttribute().Match(attributes);
        if (cls.Success)
        {
            var classes = cls.Groups[2].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (classes.Any(c => c is "gmail_quote" or "gmail_quote_container" or "gmail_signature" or "gmail_extra"
                or "moz-cite-prefix" or "yahoo_quoted" or "OutlookMessageHeader"))
            {
                return true;
            }
        }

        return name == "blockquote" && attributes.Contains("cite", StringComparison.OrdinalIgnoreCase);
    }

    private static bool IsOutlookHistoryMarker(string attributes) =>
        attributes.Contains("divRplyFwdMsg", StringComparison.Ordinal)
        || attributes.Contains("appendonsend", StringComparison.Ordinal)
        || attributes.Contains("mail-editor-reference-message-container", StringComparison.Ordinal);

    /// <summary>Trims lines and collapses runs of blank lines into one.</summary>
    internal static string Tidy(string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var sb = new StringBuilder(text.Length);
        var blank = 0;
        foreach (var raw in lines)
        {
            var line = raw.Trim(' ', '\t', '\r');
            if (line.Length == 0)
            {
                blank++;
                continue;
            }

            if (sb.Length > 0)
            {
                sb.Append(blank > 0 ? "\n\n" : "\n");
            }

            blank = 0;
            sb.Append(line);
        }

        return sb.ToString();
    }

    [GeneratedRegex(@"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<!DOCTYPE[^>]*>|<(script|style|head|title|template)\b[^>]*>.*?</\1\s*>", RegexOptions.Singleline | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NonContent();

    [GeneratedRegex(@"<(/?)([a-zA-Z][a-zA-Z0-9:-]*)((?:[^>""']|""[^""]*""|'[^']*')*)>", RegexOptions.CultureInvariant)]
    private static partial Regex Tag();

    [GeneratedRegex(@"\bclass\s*=\s*(""|')([^""']*)\1", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ClassAttribute();

    [GeneratedRegex(@"[ \t\r\n\f]+", RegexOptions.CultureInvariant)]
    private static partial Regex Whitespace();
}
