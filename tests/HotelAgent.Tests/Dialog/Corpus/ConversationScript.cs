using System.Globalization;
using System.Text.RegularExpressions;
using HotelAgent.Core.Messaging;

namespace HotelAgent.Tests.Dialog.Corpus;

/// <summary>
/// One scripted guest conversation with its expected outcome, read from a <c>.conv</c> file (format in
/// <c>Conversations/README.md</c>): headers, guest turns (<c>&gt; text</c>), per-turn checks (<c>? ...</c>) and final
/// expectations (<c>expect: ...</c>). Checks are about outcomes (the PMS booking, handoff, language), not wording.
/// </summary>
public sealed record ConversationScript
{
    public required string Id { get; init; }
    public required string File { get; init; }
    public IReadOnlyList<string> Classes { get; init; } = [];
    public Channel Channel { get; init; } = Channel.WhatsApp;
    public string? DisplayName { get; init; }
    public string Language { get; init; } = "es";
    public DateTimeOffset Start { get; init; } = new(2026, 11, 21, 12, 0, 0, TimeSpan.FromHours(-3));
    public bool EmailChannel { get; init; }
    public IReadOnlyList<string> Via { get; init; } = ["dialog"];
    public IReadOnlyList<Seed> Seeds { get; init; } = [];
    public IReadOnlyList<ScriptTurn> Turns { get; init; } = [];
    public IReadOnlyList<Expectation> Expectations { get; init; } = [];

    public override string ToString() => Id;
}

/// <summary>A booking that exists before the conversation: the guest's own (<c>mine</c>) or someone else's (<c>other</c>).</summary>
public sealed record Seed(bool Mine, string RoomType, DateOnly CheckIn, DateOnly CheckOut, int Guests, string Name);

/// <summary>A guest message: text, an optional button press, time elapsed before it, and checks on the replies to it.</summary>
public sealed record ScriptTurn(string Text, string? ReplyId, TimeSpan Delay, int Line)
{
    public List<TurnCheck> Checks { get; } = [];
}

/// <summary>says / not-says (accent- and case-insensitive), silent, stage (dialog path only).</summary>
public sealed record TurnCheck(string Kind, string Argument, int Line);

/// <summary>A final expectation: booked, no-booking, seed, handoff, no-handoff, staff-notified, email-promise, no-email-promise, email-sent.</summary>
public sealed record Expectation(string Kind, IReadOnlyDictionary<string, string> Args, IReadOnlyList<string> Positional, int Line);

public static partial class ConversationScriptParser
{
    public static IReadOnlyList<ConversationScript> LoadDirectory(string directory)
    {
        var all = new List<ConversationScript>();
        foreach (var file in Directory.GetFiles(directory, "*.conv").Order(StringComparer.Ordinal))
        {
            all.AddRange(Parse(File.ReadAllText(file), Path.GetFileName(file)));
        }

        var duplicate = all.GroupBy(s => s.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new FormatException($"Conversation id '{duplicate.Key}' is used twice.");
        }

        return all;
    }

    public static IReadOnlyList<ConversationScript> Parse(string text, string fileName)
    {
        var scripts = new List<ConversationScript>();
        Builder? current = null;
        var lineNo = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNo++;
            var line = raw.TrimEnd('\r');
            var trimmed = line.Trim();
            if (trimmed.Length == 0 || trimmed.StartsWith('#'))
            {
                continue;
            }

            if (trimmed.StartsWith("===", StringComparison.Ordinal))
            {
                if (current is not null)
                {
                    scripts.Add(current.Build());
                }

                current = new Builder(trimmed.Trim('=', ' '), fileName);
                continue;
            }

            if (current is null)
            {
                throw new FormatException($"{fileName}:{lineNo}: content before the first '=== id' line.");
            }

            try
            {
                current.Add(trimmed, lineNo);
            }
            catch (Exception ex) when (ex is FormatException or ArgumentException or KeyNotFoundException)
            {
                throw new FormatException($"{fileName}:{lineNo}: {ex.Message}", ex);
            }
        }

        if (current is not null)
        {
            scripts.Add(current.Build());
        }

        return scripts;
    }

    private sealed class Builder(string id, string file)
    {
        private readonly List<ScriptTurn> _turns = [];
        private readonly List<Expectation> _expect = [];
        private readonly List<Seed> _seeds = [];
        private ConversationScript _script = new() { Id = id, File = file };

        public void Add(string line, int lineNo)
        {
            if (line.StartsWith('>'))
            {
                var body = line[1..].Trim();
                var delay = TimeSpan.Zero;
                var m = DelayPattern().Match(body);
                if (m.Success)
                {
                    var n = int.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture);
                    delay = m.Groups["u"].Value switch { "m" => TimeSpan.FromMinutes(n), "h" => TimeSpan.FromHours(n), _ => TimeSpan.FromDays(n) };
                    body = body[m.Length..].Trim();
                }

                string? replyId = null;
                var b = ButtonPattern().Match(body);
                if (b.Success)
                {
                    replyId = b.Groups["id"].Value;
                    body = body[b.Length..].Trim();
                }

                _turns.Add(new ScriptTurn(body, replyId, delay, lineNo));
                return;
            }

            if (line.StartsWith('?'))
            {
                if (_turns.Count == 0)
                {
                    throw new FormatException("a '?' check needs a guest turn before it");
                }

                var body = line[1..].Trim();
                var space = body.IndexOf(' ', StringComparison.Ordinal);
                var kind = space < 0 ? body : body[..space];
                var arg = space < 0 ? string.Empty : body[(space + 1)..].Trim();
                if (kind is not ("says" or "not-says" or "silent" or "stage" or "replied"))
                {
                    throw new FormatException($"unknown check '{kind}'");
                }

                _turns[^1].Checks.Add(new TurnCheck(kind, arg, lineNo));
                return;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                throw new FormatException($"expected 'key: value', a '> guest turn' or a '? check': {line}");
            }

            var key = line[..colon].Trim().ToLowerInvariant();
            var value = line[(colon + 1)..].Trim();
            switch (key)
            {
                case "class":
                    _script = _script with { Classes = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) };
                    break;
                case "channel":
                    _script = _script with { Channel = value.ToLowerInvariant() switch { "webchat" => Channel.WebChat, "email" => Channel.Email, "whatsapp" => Channel.WhatsApp, _ => throw new FormatException("channel: whatsapp | webchat | email") } };
                    break;
                case "name":
                    _script = _script with { DisplayName = value == "-" ? null : value };
                    break;
                case "language":
                    _script = _script with { Language = value is "es" or "en" ? value : throw new FormatException("language: es | en") };
                    break;
                case "now":
                    _script = _script with { Start = DateTimeOffset.Parse(value, CultureInfo.InvariantCulture) };
                    break;
                case "email-channel":
                    _script = _script with { EmailChannel = value is "on" or "yes" or "true" };
                    break;
                case "via":
                    _script = _script with { Via = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) };
                    break;
                case "seed":
                    _seeds.Add(ParseSeed(value));
                    break;
                case "expect":
                    _expect.Add(ParseExpectation(value, lineNo));
                    break;
                default:
                    throw new FormatException($"unknown header '{key}'");
            }
        }

        public ConversationScript Build()
        {
            if (_turns.Count == 0)
            {
                throw new FormatException($"{file}: conversation '{_script.Id}' has no guest turns.");
            }

            if (_expect.Count == 0)
            {
                throw new FormatException($"{file}: conversation '{_script.Id}' has no expectations.");
            }

            return _script with { Turns = _turns.ToArray(), Expectations = _expect.ToArray(), Seeds = _seeds.ToArray() };
        }

        private static Seed ParseSeed(string value)
        {
            // mine|other ROOM YYYY-MM-DD YYYY-MM-DD GUESTS ["Name"]
            var name = QuotedPattern().Match(value) is { Success: true } q ? q.Groups[1].Value : "Otro Huésped";
            var parts = QuotedPattern().Replace(value, string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 5 || parts[0] is not ("mine" or "other"))
            {
                throw new FormatException("seed: mine|other ROOM CHECKIN CHECKOUT GUESTS [\"Name\"]");
            }

            return new Seed(parts[0] == "mine", parts[1], Date(parts[2]), Date(parts[3]), int.Parse(parts[4], CultureInfo.InvariantCulture), name);
        }

        private static Expectation ParseExpectation(string value, int line)
        {
            var args = new Dictionary<string, string>(StringComparer.Ordinal);
            var positional = new List<string>();
            foreach (Match m in TokenPattern().Matches(value))
            {
                var token = m.Value;
                var eq = token.IndexOf('=', StringComparison.Ordinal);
                if (eq > 0)
                {
                    args[token[..eq]] = token[(eq + 1)..].Trim('"');
                }
                else
                {
                    positional.Add(token.Trim('"'));
                }
            }

            if (positional.Count == 0)
            {
                throw new FormatException("expect: needs a kind");
            }

            var kind = positional[0];
            if (kind is not ("booked" or "no-booking" or "seed" or "handoff" or "no-handoff" or "staff-notified" or "email-promise" or "no-email-promise" or "email-sent"))
            {
                throw new FormatException($"unknown expectation '{kind}'");
            }

            return new Expectation(kind, args, positional.Skip(1).ToArray(), line);
        }
    }

    internal static DateOnly Date(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^\+(?<n>\d+)(?<u>[mhd])\s")]
    private static partial Regex DelayPattern();

    [GeneratedRegex(@"^\[(?<id>[^\]]+)\]")]
    private static partial Regex ButtonPattern();

    [GeneratedRegex("\"([^\"]*)\"")]
    private static partial Regex QuotedPattern();

    [GeneratedRegex("""[^\s"=]+="[^"]*"|"[^"]*"|\S+""")]
    private static partial Regex TokenPattern();
}
