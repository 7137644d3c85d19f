using System.Globalization;
using System.Text;

namespace HotelAgent.Core.Channels.Gmail.Mime;

/// <summary>Charset lookup, quoted-printable, base64 and RFC 2047 encoded-word helpers.</summary>
public static class MimeEncodings
{
    private static readonly Encoding StrictUtf8 = new UTF8Encoding(false, throwOnInvalidBytes: true);

    static MimeEncodings()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
    }

    /// <summary>Latin-1 maps every byte to the char with the same value: used to carry raw bytes in strings.</summary>
    public static Encoding Latin1 => Encoding.Latin1;

    /// <summary>
    /// Resolves a MIME charset name. ISO-8859-1 and US-ASCII are read as windows-1252 (a superset that mail
    /// clients really use, as browsers do); unknown names fall back to UTF-8.
    /// </summary>
    public static Encoding GetEncoding(string? charset)
    {
        var name = (charset ?? string.Empty).Trim().Trim('"').ToLowerInvariant();
        switch (name)
        {
            case "":
            case "us-ascii":
            case "ascii":
            case "iso-8859-1":
            case "iso8859-1":
            case "latin1":
            case "latin-1":
                return Encoding.GetEncoding(1252);
            case "utf8":
            case "utf-8":
                return Encoding.UTF8;
            default:
                try
                {
                    return Encoding.GetEncoding(name);
                }
                catch (ArgumentException)
                {
                    return Encoding.UTF8;
                }
        }
    }

    /// <summary>Decodes text bytes; when no charset is declared, valid UTF-8 is read as UTF-8, otherwise windows-1252.</summary>
    public static string DecodeText(byte[] bytes, string? charset)
    {
        var declared = (charset ?? string.Empty).Trim().Trim('"').ToLowerInvariant();
        if (declared is "" or "us-ascii" or "ascii")
        {
            return TryStrictUtf8(bytes) ?? GetEncoding("windows-1252").GetString(bytes);
        }

        var text = GetEncoding(declared).GetString(bytes);
        return text.Length > 0 && text[0] == '\uFEFF' ? text[1..] : text;
    }

    public static string? TryStrictUtf8(byte[] bytes)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    /// <summary>Decodes a quoted-printable body (RFC 2045 §6.7). Invalid escapes are kept literally.</summary>
    public static byte[] DecodeQuotedPrintable(string latin1, bool headerMode = false)
    {
        var output = new List<byte>(latin1.Length);
        for (var i = 0; i < latin1.Length; i++)
        {
            var c = latin1[i];
            if (c == '=')
            {
                // Soft line break: "=" followed by optional whitespace and a line ending.
                var j = i + 1;
                while (j < latin1.Length && (latin1[j] == ' ' || latin1[j] == '\t'))
                {
                    j++;
                }

                if (j < latin1.Length && (latin1[j] == '\r' || latin1[j] == '\n'))
                {
                    if (latin1[j] == '\r' && j + 1 < latin1.Length && latin1[j + 1] == '\n')
                    {
                        j++;
                    }

                    i = j;
                    continue;
                }

                if (j >= latin1.Length)
                {
                    break;
                }

                if (i + 2 < latin1.Length && IsHex(latin1[i + 1]) && IsHex(latin1[i + 2]))
                {
                    output.Add((byte)((HexValue(latin1[i + 1]) << 4) | HexValue(latin1[i + 2])));
                    i += 2;
                    continue;
                }

                output.Add((byte)'=');
            }
            else if (headerMode && c == '_')
            {
                output.Add((byte)' ');
            }
            else
            {
                output.Add(c <= 0xFF ? (byte)c : (byte)'?');
            }
        }

        return [.. output];
    }

    /// <summary>Decodes base64 leniently (ignores whitespace and junk, tolerates missing padding and base64url).</summary>
    public static byte[] DecodeBase64Lenient(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (char.IsAsciiLetterOrDigit(c) || c == '+' || c == '/')
            {
                sb.Append(c);
            }
            else if (c == '-')
            {
                sb.Append('+');
            }
            else if (c == '_')
            {
                sb.Append('/');
            }
        }

        var rem = sb.Length % 4;
        if (rem == 1)
        {
            sb.Length--;
        }
        else if (rem > 1)
        {
            sb.Append('=', 4 - rem);
        }

        try
        {
            return Convert.FromBase64String(sb.ToString());
        }
        catch (FormatException)
        {
            return [];
        }
    }

    /// <summary>RFC 4648 §5 base64url without padding (the Gmail API's <c>raw</c> encoding).</summary>
    public static string ToBase64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static byte[] FromBase64Url(string text) => DecodeBase64Lenient(text);

    /// <summary>Base64 with CRLF line breaks every 76 characters (RFC 2045 body encoding).</summary>
    public static string ToBase64Lines(byte[] bytes)
    {
        var b64 = Convert.ToBase64String(bytes);
        var sb = new StringBuilder(b64.Length + (b64.Length / 76 * 2) + 2);
        for (var i = 0; i < b64.Length; i += 76)
        {
            sb.Append(b64, i, Math.Min(76, b64.Length - i)).Append("\r\n");
        }

        return sb.ToString();
    }

    /// <summary>
    /// Decodes RFC 2047 encoded-words (Q and B, any charset, with optional <c>*language</c>) in a header value.
    /// Whitespace between adjacent encoded-words is dropped; adjacent words in the same charset are joined
    /// as bytes first so multi-byte characters split across words survive.
    /// </summary>
    public static string DecodeHeaderValue(string value)
    {
        if (!value.Contains("=?", StringComparison.Ordinal))
        {
            return value;
        }

        var sb = new StringBuilder(value.Length);
        var pendingBytes = new List<byte>();
        string? pendingCharset = null;
        var i = 0;
        var pendingWhitespace = string.Empty;

        void Flush()
        {
            if (pendingCharset is not null)
            {
                sb.Append(GetEncoding(pendingCharset).GetString([.. pendingBytes]));
                pendingBytes.Clear();
                pendingCharset = null;
            }
        }

        while (i < value.Length)
        {
            if (TryReadEncodedWord(value, i, out var end, out var charset, out var bytes))
            {
                // Whitespace between two encoded-words is not displayed (RFC 2047 §6.2).
                if (pendingCharset is null)
                {
                    sb.Append(pendingWhitespace);
                }

                pendingWhitespace = string.Empty;
                if (pendingCharset is not null && !string.Equals(pendingCharset, charset, StringComparison.OrdinalIgnoreCase))
                {
                    Flush();
                }

                pendingCharset = charset;
                pendingBytes.AddRange(bytes);
                i = end;
                continue;
            }

            var c = value[i];
            if (c is ' ' or '\t')
            {
                pendingWhitespace += c;
                i++;
                continue;
            }

            Flush();
            sb.Append(pendingWhitespace);
            pendingWhitespace = string.Empty;
            sb.Append(c);
            i++;
        }

        Flush();
        sb.Append(pendingWhitespace);
        return sb.ToString();
    }

    private static bool TryReadEncodedWord(string s, int start, out int end, out string charset, out byte[] bytes)
    {
        end = start;
        charset = string.Empty;
        bytes = [];
        if (start + 1 >= s.Length || s[start] != '=' || s[start + 1] != '?')
        {
            return false;
        }

        var q1 = s.IndexOf('?', start + 2);
        if (q1 < 0 || q1 + 2 >= s.Length || s[q1 + 2] != '?')
        {
            return false;
        }

        var encoding = char.ToUpperInvariant(s[q1 + 1]);
        if (encoding is not ('Q' or 'B'))
        {
            return false;
        }

        var close = s.IndexOf("?=", q1 + 3, StringComparison.Ordinal);
        if (close < 0)
        {
            return false;
        }

        var text = s[(q1 + 3)..close];
        if (text.Contains(' ', StringComparison.Ordinal))
        {
            return false;
        }

        charset = s[(start + 2)..q1];
        var star = charset.IndexOf('*', StringComparison.Ordinal);
        if (star >= 0)
        {
            charset = charset[..star];
        }

        bytes = encoding == 'B' ? DecodeBase64Lenient(text) : DecodeQuotedPrintable(text, headerMode: true);
        end = close + 2;
        return true;
    }

    /// <summary>
    /// Encodes a header value as RFC 2047 UTF-8 B encoded-words when it is not plain ASCII, splitting on
    /// character boundaries so each word stays within 75 characters; words are joined with CRLF SP (folding).
    /// </summary>
    public static string EncodeHeaderValue(string value)
    {
        if (value.All(c => c is >= ' ' and <= '~'))
        {
            return value;
        }

        const int maxBytesPerWord = 45; // 45 bytes → 60 base64 chars + 12 for "=?UTF-8?B??=" = 72
        var words = new List<string>();
        var current = new StringBuilder();
        var currentBytes = 0;
        foreach (var element in TextElements(value))
        {
            var n = Encoding.UTF8.GetByteCount(element);
            if (currentBytes + n > maxBytesPerWord && current.Length > 0)
            {
                words.Add(Word(current.ToString()));
                current.Clear();
                currentBytes = 0;
            }

            current.Append(element);
            currentBytes += n;
        }

        if (current.Length > 0)
        {
            words.Add(Word(current.ToString()));
        }

        return string.Join("\r\n ", words);

        static string Word(string s) => "=?UTF-8?B?" + Convert.ToBase64String(Encoding.UTF8.GetBytes(s)) + "?=";
    }

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);

    private static int HexValue(char c) => int.Parse(c.ToString(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    /// <summary>Enumerates text elements (grapheme clusters) so encoded words never split a character.</summary>
    private static IEnumerable<string> TextElements(string value)
    {
        var e = StringInfo.GetTextElementEnumerator(value);
        while (e.MoveNext())
        {
            yield return e.GetTextElement();
        }
    }
}
