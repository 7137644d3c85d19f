using System.Globalization;
using System.Text;
using HotelAgent.Core.Messaging;

namespace HotelAgent.Core.Channels.Email;

/// <summary>Renders a channel-agnostic <see cref="Reply"/> as the text and HTML bodies of an email.</summary>
public static class EmailReplyRenderer
{
    /// <summary>Text, then the options title and the options as a numbered list ("1. Title - description").</summary>
    public static string RenderText(Reply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var sb = new StringBuilder(reply.Text.Trim());
        if (reply.Options.Count > 0)
        {
            sb.Append("\n\n");
            if (!string.IsNullOrWhiteSpace(reply.OptionsTitle))
            {
                sb.Append(reply.OptionsTitle.Trim()).Append('\n');
            }

            for (var i = 0; i < reply.Options.Count; i++)
            {
                var option = reply.Options[i];
                sb.Append(CultureInfo.InvariantCulture, $"{i + 1}. {option.Title}");
                if (!string.IsNullOrWhiteSpace(option.Description))
                {
                    sb.Append(" - ").Append(option.Description);
                }

                sb.Append('\n');
            }
        }

        return sb.ToString().TrimEnd() + "\n";
    }

    /// <summary>Simple HTML: paragraphs from blank-line-separated text, line breaks kept, options as an ordered list.</summary>
    public static string RenderHtml(Reply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var sb = new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head>\n<body style=\"font-family:Arial,Helvetica,sans-serif;font-size:14px;line-height:1.5\">\n");
        var paragraphs = reply.Text.Replace("\r\n", "\n", StringComparison.Ordinal).Trim()
            .Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var paragraph in paragraphs)
        {
            var lines = paragraph.Split('\n').Select(l => Encode(l.Trim()));
            sb.Append("<p>").Append(string.Join("<br>\n", lines)).Append("</p>\n");
        }

        if (reply.Options.Count > 0)
        {
            if (!string.IsNullOrWhiteSpace(reply.OptionsTitle))
            {
                sb.Append("<p><strong>").Append(Encode(reply.OptionsTitle.Trim())).Append("</strong></p>\n");
            }

            sb.Append("<ol>\n");
            foreach (var option in reply.Options)
            {
                sb.Append("<li>").Append(Encode(option.Title));
                if (!string.IsNullOrWhiteSpace(option.Description))
                {
                    sb.Append(" &ndash; <span style=\"color:#555\">").Append(Encode(option.Description)).Append("</span>");
                }

                sb.Append("</li>\n");
            }

            sb.Append("</ol>\n");
        }

        return sb.Append("</body></html>\n").ToString();
    }

    /// <summary>Escapes markup characters only (the body is UTF-8, so accents stay readable).</summary>
    private static string Encode(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal)
            .Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal)
            .Replace("\"", "&quot;", StringComparison.Ordinal);
}
