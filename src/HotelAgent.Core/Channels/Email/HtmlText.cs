using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace HotelAgent.Core.Channels.Email;

/// <summary>
/// Email HTML to the text a guest wrote: AngleSharp parses the markup (entities, broken tags), the quoted history of
/// the usual clients is removed from the DOM — Gmail (<c>gmail_quote</c>, <c>gmail_signature</c>), Apple Mail and
/// Thunderbird (<c>blockquote type="cite"</c>, <c>moz-cite-prefix</c>), Yahoo (<c>yahoo_quoted</c>) and Outlook
/// (everything from <c>divRplyFwdMsg</c> / <c>appendonsend</c> / <c>mail-editor-reference-message-container</c> on)
/// — and the rest is laid out as text: blocks on their own lines, paragraphs and lists separated by a blank line,
/// list items as "- ". AngleSharp has no text layout of its own (innerText needs its CSS package), hence the walk below.
/// </summary>
public static class HtmlText
{
    private static readonly HtmlParser Parser = new();

    private static readonly HashSet<string> Dropped = new(StringComparer.OrdinalIgnoreCase)
    {
        "head", "script", "style", "title", "noscript", "template", "svg", "object", "iframe",
    };

    /// <summary>Blocks that stand on their own line.</summary>
    private static readonly HashSet<string> LineBlocks = new(StringComparer.OrdinalIgnoreCase)
    {
        "address", "article", "aside", "center", "dd", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer",
        "form", "header", "main", "nav", "section", "tr", "li", "hr",
    };

    /// <summary>Blocks separated from their neighbours by a blank line.</summary>
    private static readonly HashSet<string> ParagraphBlocks = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "blockquote", "pre",
    };

    private static readonly string[] QuoteSelectors =
    [
        ".gmail_quote", ".gmail_signature", ".gmail_extra", "blockquote[type=cite]", ".moz-cite-prefix", ".yahoo_quoted",
        ".protonmail_quote", "#isForwardContent",
    ];

    /// <summary>Outlook puts the quoted history after these markers, as siblings rather than children.</summary>
    private static readonly string[] HistoryMarkers = ["#divRplyFwdMsg", "#appendonsend", "#mail-editor-reference-message-container"];

    public static string Convert(string html, bool stripQuotedHistory = true)
    {
        ArgumentNullException.ThrowIfNull(html);
        using var document = Parser.ParseDocument(html);
        var root = (INode?)document.Body ?? document.DocumentElement;
        if (root is null)
        {
            return string.Empty;
        }

        if (stripQuotedHistory)
        {
            foreach (var marker in HistoryMarkers)
            {
                if (document.QuerySelector(marker) is { } start)
                {
                    RemoveFrom(start);
                }
            }

            foreach (var quote in document.QuerySelectorAll(string.Join(',', QuoteSelectors)).ToArray())
            {
                quote.Remove();
            }
        }

        var writer = new TextWriter();
        writer.Walk(root);
        return Tidy(writer.ToString());
    }

    /// <summary>Trims lines, keeps at most one blank line in a row, and trims the whole text.</summary>
    public static string Tidy(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sb = new StringBuilder(text.Length);
        var blank = 0;
        foreach (var raw in text.ReplaceLineEndings("\n").Split('\n'))
        {
            var line = raw.Replace('\u00A0', ' ').Trim(' ', '\t');
            if (line.Length == 0)
            {
                blank++;
                continue;
            }

            if (sb.Length > 0)
            {
                sb.Append(blank > 0 ? "\n\n" : "\n");
            }

            sb.Append(line);
            blank = 0;
        }

        return sb.ToString();
    }

    /// <summary>Removes <paramref name="start"/> and everything after it in document order.</summary>
    private static void RemoveFrom(INode start)
    {
        for (var node = start; node is not null && node.NodeName is not ("BODY" or "HTML"); node = node.Parent)
        {
            while (node.NextSibling is { } next)
            {
                next.RemoveFromParent();
            }
        }

        start.RemoveFromParent();
    }

    private sealed class TextWriter
    {
        private readonly StringBuilder _sb = new();
        private int _pre;

        public void Walk(INode node)
        {
            foreach (var child in node.ChildNodes)
            {
                switch (child)
                {
                    case IText text:
                        AppendText(text.Data);
                        break;
                    case IElement element:
                        Element(element);
                        break;
                }
            }
        }

        public override string ToString() => _sb.ToString();

        private void Element(IElement element)
        {
            var name = element.LocalName;
            if (Dropped.Contains(name))
            {
                return;
            }

            if (name == "br")
            {
                _sb.Append('\n');
                return;
            }

            var paragraph = ParagraphBlocks.Contains(name);
            var line = LineBlocks.Contains(name);
            if (paragraph || line)
            {
                Break(paragraph ? 2 : 1);
            }

            if (name == "li")
            {
                _sb.Append("- ");
            }
            else if (name is "td" or "th")
            {
                _sb.Append(' ');
            }
            else if (name == "img" && element.GetAttribute("alt") is { Length: > 0 } alt)
            {
                AppendText(alt);
            }

            _pre += name == "pre" ? 1 : 0;
            Walk(element);
            _pre -= name == "pre" ? 1 : 0;

            if (paragraph || line)
            {
                Break(paragraph ? 2 : 1);
            }
        }

        /// <summary>Ends the current line, with <paramref name="newlines"/> - 1 blank lines, unless the text already does.</summary>
        private void Break(int newlines)
        {
            var trailing = 0;
            for (var i = _sb.Length - 1; i >= 0 && _sb[i] is '\n' or ' '; i--)
            {
                trailing += _sb[i] == '\n' ? 1 : 0;
            }

            _sb.Append('\n', Math.Max(0, newlines - trailing));
        }

        private void AppendText(string data)
        {
            if (_pre > 0)
            {
                _sb.Append(data);
                return;
            }

            // Outside <pre> any run of white space is one space.
            var atLineStart = _sb.Length == 0 || _sb[^1] is '\n' or ' ';
            foreach (var c in data)
            {
                if (char.IsWhiteSpace(c) && c != '\u00A0')
                {
                    if (!atLineStart)
                    {
                        _sb.Append(' ');
                        atLineStart = true;
                    }

                    continue;
                }

                _sb.Append(c);
                atLineStart = false;
            }
        }
    }
}
