using System.Text;
using System.Text.RegularExpressions;

namespace HotelAgent.Core.Messaging;

/// <summary>An option as a channel that draws buttons shows it: its title and the detail line the reply text gave it.</summary>
public sealed record RenderedOption(string Id, string Title, string? Detail);

/// <summary>A reply split for a channel that renders <see cref="Reply.Options"/> itself (buttons): the text without the
/// options' own lines, and each option with its detail.</summary>
public sealed record RenderedReply(string Text, IReadOnlyList<RenderedOption> Options);

/// <summary>
/// Channels render <see cref="Reply.Options"/>. Today the dialog also writes the options into the reply text ("1. Doble:
/// ARS 120.000 por noche…", or one unnumbered "Doble: …" line for a single offer), which suits text-only channels but shows
/// every offer twice next to buttons. <see cref="ForButtons"/> moves those lines into their options: an option's detail
/// becomes the rest of its line. Only when every option has exactly its own line, in order, is anything moved; otherwise
/// the text stays whole (shown twice, never lost). Once the dialog stops writing the lines this changes nothing.
/// </summary>
public static partial class ReplyOptionLines
{
    public static RenderedReply ForButtons(Reply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var plain = new RenderedReply(reply.Text, reply.Options.Select(o => new RenderedOption(o.Id, o.Title, o.Description)).ToArray());
        if (reply.Options.Count == 0 || string.IsNullOrEmpty(reply.Text))
        {
            return plain;
        }

        var lines = reply.Text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var matched = new int[reply.Options.Count];
        var found = new (string Title, string Detail)[reply.Options.Count];
        var next = 0;
        for (var i = 0; i < lines.Length && next < reply.Options.Count; i++)
        {
            if (OptionLine(lines[i], reply.Options[next].Title, next + 1, single: reply.Options.Count == 1) is { } option)
            {
                matched[next] = i;
                found[next] = option;
                next++;
            }
        }

        if (next < reply.Options.Count || (reply.Options.Count > 1 && matched[^1] - matched[0] != reply.Options.Count - 1))
        {
            return plain;
        }

        var removed = matched.ToHashSet();
        var text = new StringBuilder();
        for (var i = 0; i < lines.Length; i++)
        {
            if (!removed.Contains(i))
            {
                text.Append(lines[i]).Append('\n');
            }
        }

        var options = reply.Options.Select((o, i) => new RenderedOption(o.Id, found[i].Title, found[i].Detail.Length > 0 ? found[i].Detail : o.Description)).ToArray();
        return new RenderedReply(text.ToString().Trim(), options);
    }

    /// <summary>The full title and the rest of <paramref name="line"/> when it is the line of the option titled <paramref name="title"/>.</summary>
    private static (string Title, string Detail)? OptionLine(string line, string title, int number, bool single)
    {
        var trimmed = line.Trim();
        var numbered = NumberPrefix().Match(trimmed);
        if (numbered.Success)
        {
            if (!int.TryParse(numbered.Groups[1].ValueSpan, System.Globalization.CultureInfo.InvariantCulture, out var n) || n != number)
            {
                return null;
            }

            trimmed = trimmed[numbered.Length..];
        }
        else if (!single)
        {
            return null;
        }

        // Titles are cut for WhatsApp ("Habitación Doble Su…"): compare without the ellipsis.
        var stem = title.TrimEnd('…').Trim();
        if (stem.Length == 0 || !trimmed.StartsWith(stem, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var rest = trimmed[stem.Length..];
        if (!numbered.Success && !rest.StartsWith(':'))
        {
            // An unnumbered line is an option's only when it reads "Title: detail" (the single-offer line).
            return null;
        }

        // A title cut for WhatsApp ("Habitación Doble Su…") is whole in the line, up to the separator.
        var fullTitle = title;
        var separator = rest.IndexOf(':', StringComparison.Ordinal);
        if (title.EndsWith('…') && separator > 0)
        {
            fullTitle = trimmed[..(stem.Length + separator)].Trim();
            rest = rest[separator..];
        }

        return (fullTitle, rest.TrimStart(':', ' ', '-', '–', '—', '·').Trim());
    }

    [GeneratedRegex(@"^(\d{1,2})[.)]\s+", RegexOptions.CultureInvariant)]
    private static partial Regex NumberPrefix();
}
