using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using HotelAgent.Core.Dialog;
using HotelAgent.Core.Pms;

namespace HotelAgent.Tests.Dialog.Corpus;

/// <summary>What the guest sent and what came back, for one turn.</summary>
/// <param name="Replies">Reply texts, in order.</param>
/// <param name="OptionTitles">Titles of the buttons/list rows offered (they must be in the guest's language too).</param>
/// <param name="Stage">Dialog stage after the turn (null when the path cannot see it).</param>
public sealed record TurnTranscript(ScriptTurn Turn, IReadOnlyList<string> Replies, IReadOnlyList<string> OptionTitles, string? Stage);

/// <summary>A finished run of a script on one path (dialog, webchat, whatsapp), with everything the checks need.</summary>
public sealed record ConversationRun
{
    public required ConversationScript Script { get; init; }
    public required string Path { get; init; }
    public required string GuestId { get; init; }
    public required IReadOnlyList<TurnTranscript> Turns { get; init; }

    /// <summary>The guest's reservations in the PMS after the conversation (seeded ones included).</summary>
    public required IReadOnlyList<Reservation> Reservations { get; init; }

    /// <summary>Seeded bookings as the PMS has them at the end, in seed order.</summary>
    public required IReadOnlyList<Reservation> SeedsAfter { get; init; }
    public bool HandedOff { get; init; }
    public string? HandoffReason { get; init; }

    /// <summary>Staff notices (null when the path cannot observe them).</summary>
    public IReadOnlyList<HandoffNotice>? Notices { get; init; }

    /// <summary>Emails the email channel sent: recipient and whether a calendar file was attached (null when not observable).</summary>
    public IReadOnlyList<(string To, bool Calendar)>? EmailsSent { get; init; }
}

/// <summary>A failed check: outcome failures make a conversation FAILED; quality failures alone make it PARTLY.</summary>
public sealed record CheckFailure(bool Outcome, string Message);

/// <summary>
/// Checks a run: the script's expectations (the PMS booking's dates, room type, guests and status; handoff; staff notices;
/// email promises) plus checks every conversation gets: every reply in the guest's language, no reply three times, the
/// per-turn checks.
/// </summary>
public static partial class ConversationChecks
{
    public static IReadOnlyList<CheckFailure> Evaluate(ConversationRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var s = run.Script;
        var failures = new List<CheckFailure>();
        var seededRefs = run.SeedsAfter.Select(r => r.Reference).ToHashSet(StringComparer.Ordinal);
        var created = run.Reservations.Where(r => !seededRefs.Contains(r.Reference)).ToList();

        foreach (var e in s.Expectations)
        {
            switch (e.Kind)
            {
                case "booked":
                {
                    var live = created.Where(r => r.Status == ReservationStatus.Confirmed).ToList();
                    if (live.Count != 1)
                    {
                        failures.Add(new(true, $"line {e.Line}: expected exactly one new booking, found {live.Count} ({string.Join("; ", created.Select(Describe))})"));
                        break;
                    }

                    var r = live[0];
                    var mismatch = Mismatch(e, r);
                    if (mismatch is not null)
                    {
                        failures.Add(new(true, $"line {e.Line}: booking {Describe(r)}: {mismatch}"));
                    }

                    break;
                }

                case "no-booking":
                    if (created.Count > 0)
                    {
                        failures.Add(new(true, $"line {e.Line}: expected no booking, found {string.Join("; ", created.Select(Describe))}"));
                    }

                    break;

                case "seed":
                {
                    var index = int.Parse(e.Positional[0], CultureInfo.InvariantCulture) - 1;
                    var r = run.SeedsAfter[index];
                    var want = e.Positional.Count > 1 ? e.Positional[1] : "confirmed";
                    var status = r.Status == ReservationStatus.Cancelled ? "cancelled" : "confirmed";
                    if (!string.Equals(want, status, StringComparison.Ordinal))
                    {
                        failures.Add(new(true, $"line {e.Line}: seed {index + 1} is {status}, expected {want}"));
                    }

                    if (Mismatch(e, r) is { } mismatch)
                    {
                        failures.Add(new(true, $"line {e.Line}: seed {index + 1} {Describe(r)}: {mismatch}"));
                    }

                    break;
                }

                case "handoff":
                    if (!run.HandedOff)
                    {
                        failures.Add(new(true, $"line {e.Line}: expected a handoff, the bot kept the conversation"));
                    }
                    else if (e.Positional.Count > 0 && !string.Equals(e.Positional[0], run.HandoffReason, StringComparison.Ordinal))
                    {
                        failures.Add(new(false, $"line {e.Line}: handoff reason {run.HandoffReason}, expected {e.Positional[0]}"));
                    }

                    if (e.Args.TryGetValue("turn", out var turnText) && int.TryParse(turnText, out var turn))
                    {
                        var first = run.Turns.Select((t, i) => (t, i)).FirstOrDefault(x => x.t.Stage == "HandedOff" || x.t.Replies.Any(IsHandoffText));
                        if (first.t is null || first.i + 1 != turn)
                        {
                            failures.Add(new(true, $"line {e.Line}: the handoff should happen at turn {turn}"));
                        }
                    }

                    break;

                case "no-handoff":
                    if (run.HandedOff)
                    {
                        failures.Add(new(true, $"line {e.Line}: unexpected handoff ({run.HandoffReason})"));
                    }

                    break;

                case "staff-notified":
                    if (run.Notices is { } notices && !notices.Any(n => e.Positional.Count == 0 || n.Reason == e.Positional[0]))
                    {
                        failures.Add(new(true, $"line {e.Line}: staff were not notified ({(e.Positional.Count > 0 ? e.Positional[0] : "any")})"));
                    }

                    break;

                case "email-promise":
                    if (!run.Turns.SelectMany(t => t.Replies).Any(PromisesEmail))
                    {
                        failures.Add(new(true, $"line {e.Line}: the confirmation email was not announced"));
                    }

                    break;

                case "email-sent":
                    if (run.EmailsSent is { } sent && !sent.Any(m => string.Equals(m.To, e.Positional[0], StringComparison.OrdinalIgnoreCase) && m.Calendar))
                    {
                        failures.Add(new(true, $"line {e.Line}: no confirmation email with a calendar file was sent to {e.Positional[0]} (sent: {string.Join(", ", sent.Select(m => m.To))})"));
                    }

                    break;

                case "no-email-promise":
                    if (run.Turns.SelectMany(t => t.Replies).FirstOrDefault(PromisesEmail) is { } promise)
                    {
                        failures.Add(new(true, $"line {e.Line}: promised an email that is not sent: {promise}"));
                    }

                    break;
            }
        }

        // Per-turn checks.
        foreach (var (turn, i) in run.Turns.Select((t, i) => (t, i)))
        {
            var all = Fold(string.Join("\n", turn.Replies));
            foreach (var c in turn.Turn.Checks)
            {
                switch (c.Kind)
                {
                    case "says" when !all.Contains(Fold(c.Argument), StringComparison.Ordinal):
                        failures.Add(new(false, $"line {c.Line} (turn {i + 1}): the reply should say \"{c.Argument}\""));
                        break;
                    case "not-says" when all.Contains(Fold(c.Argument), StringComparison.Ordinal):
                        failures.Add(new(false, $"line {c.Line} (turn {i + 1}): the reply should not say \"{c.Argument}\""));
                        break;
                    case "silent" when turn.Replies.Count > 0:
                        failures.Add(new(false, $"line {c.Line} (turn {i + 1}): expected no reply"));
                        break;
                    case "replied" when turn.Replies.Count == 0:
                        failures.Add(new(false, $"line {c.Line} (turn {i + 1}): expected a reply"));
                        break;
                    case "stage" when turn.Stage is not null && !string.Equals(turn.Stage, c.Argument, StringComparison.Ordinal):
                        failures.Add(new(false, $"line {c.Line} (turn {i + 1}): stage {turn.Stage}, expected {c.Argument}"));
                        break;
                }
            }
        }

        // Every reply in the guest's language (names, codes, addresses and links left out).
        foreach (var (turn, i) in run.Turns.Select((t, i) => (t, i)))
        {
            foreach (var text in turn.Replies.Concat(turn.OptionTitles))
            {
                if (WrongLanguage(text, s.Language, s.DisplayName) is { } word)
                {
                    failures.Add(new(false, $"turn {i + 1}: reply not in {s.Language} (\"{word}\"): {Short(text)}"));
                }
            }
        }

        // No reply word for word a third time.
        foreach (var g in run.Turns.SelectMany(t => t.Replies).GroupBy(r => r, StringComparer.Ordinal).Where(g => g.Count() >= 3))
        {
            failures.Add(new(false, $"the same reply was sent {g.Count()} times: {Short(g.Key)}"));
        }

        return failures;
    }

    public static string Verdict(IReadOnlyList<CheckFailure> failures) =>
        failures.Count == 0 ? "PASSED" : failures.Any(f => f.Outcome) ? "FAILED" : "PARTLY";

    public static string Transcript(ConversationRun run, IReadOnlyList<CheckFailure>? failures = null)
    {
        var sb = new StringBuilder();
        sb.Append("=== ").Append(run.Script.Id).Append(" [").Append(run.Path).Append("] ").Append(run.Script.File).Append('\n');
        foreach (var (turn, i) in run.Turns.Select((t, i) => (t, i)))
        {
            sb.Append(CultureInfo.InvariantCulture, $"{i + 1,2}> {(turn.Turn.ReplyId is null ? string.Empty : "[" + turn.Turn.ReplyId + "] ")}{turn.Turn.Text}\n");
            foreach (var r in turn.Replies)
            {
                sb.Append("    < ").Append(r.Replace("\n", "\n      ", StringComparison.Ordinal)).Append('\n');
            }

            if (turn.OptionTitles.Count > 0)
            {
                sb.Append("      [").Append(string.Join(" | ", turn.OptionTitles)).Append("]\n");
            }
        }

        sb.Append("    bookings: ").Append(run.Reservations.Count == 0 ? "none" : string.Join("; ", run.Reservations.Select(Describe))).Append('\n');
        if (run.HandedOff)
        {
            sb.Append("    handed off: ").Append(run.HandoffReason).Append('\n');
        }

        foreach (var f in failures ?? [])
        {
            sb.Append(f.Outcome ? "  ✗ " : "  ~ ").Append(f.Message).Append('\n');
        }

        return sb.ToString();
    }

    private static string? Mismatch(Expectation e, Reservation r)
    {
        var p = e.Positional.Where(x => x.Length > 0 && char.IsAsciiDigit(x[0]) && x.Contains('-', StringComparison.Ordinal)).ToList();
        var room = e.Positional.FirstOrDefault(x => x.Length > 0 && char.IsAsciiLetter(x[0]) && x is not ("cancelled" or "confirmed"));
        if (room is not null && !string.Equals(room, r.RoomType, StringComparison.Ordinal))
        {
            return $"room {r.RoomType}, expected {room}";
        }

        if (p.Count >= 1 && r.CheckIn != ConversationScriptParser.Date(p[0]))
        {
            return $"check-in {r.CheckIn:yyyy-MM-dd}, expected {p[0]}";
        }

        if (p.Count >= 2 && r.CheckOut != ConversationScriptParser.Date(p[1]))
        {
            return $"check-out {r.CheckOut:yyyy-MM-dd}, expected {p[1]}";
        }

        if (e.Args.TryGetValue("guests", out var g) && r.Guests.ToString(CultureInfo.InvariantCulture) != g)
        {
            return $"{r.Guests} guests, expected {g}";
        }

        if (e.Args.TryGetValue("children", out var kids) && r.Children.ToString(CultureInfo.InvariantCulture) != kids)
        {
            return $"{r.Children} children, expected {kids}";
        }

        if (e.Args.TryGetValue("infants", out var infants) && r.Infants.ToString(CultureInfo.InvariantCulture) != infants)
        {
            return $"{r.Infants} infants, expected {infants}";
        }

        // note=cuna: the staff note holds this word (accent- and case-insensitive); note=- : no note at all
        if (e.Args.TryGetValue("note", out var note)
            && (note == "-" ? r.Note is not null : r.Note is null || !Fold(r.Note).Contains(Fold(note), StringComparison.Ordinal)))
        {
            return $"note \"{r.Note ?? "none"}\", expected {(note == "-" ? "none" : "one with " + note)}";
        }

        if (e.Args.TryGetValue("name", out var name) && !string.Equals(name, r.GuestName, StringComparison.Ordinal))
        {
            return $"name {r.GuestName}, expected {name}";
        }

        if (e.Args.TryGetValue("email", out var email) && !string.Equals(email, r.Email, StringComparison.OrdinalIgnoreCase))
        {
            return $"email {r.Email ?? "none"}, expected {email}";
        }

        return null;
    }

    private static string Describe(Reservation r) =>
        string.Create(CultureInfo.InvariantCulture, $"{r.RoomType} {r.CheckIn:yyyy-MM-dd}..{r.CheckOut:yyyy-MM-dd} guests={r.Guests} children={r.Children} infants={r.Infants} {r.Status} \"{r.GuestName}\" note=\"{r.Note}\"");

    private static string Short(string s) => s.Length <= 140 ? s.Replace('\n', ' ') : s[..140].Replace('\n', ' ') + "…";

    internal static bool IsHandoffText(string s) => Fold(s).Contains("te paso", StringComparison.Ordinal) && Fold(s).Contains("recepcion", StringComparison.Ordinal)
        || Fold(s).Contains("passing you to a person", StringComparison.Ordinal);

    private static bool PromisesEmail(string reply) =>
        reply.Contains('@', StringComparison.Ordinal) && EmailPromise().IsMatch(Fold(reply));

    /// <summary>Lower case, accents removed (checks are accent- and case-insensitive, like guests).</summary>
    public static string Fold(string s)
    {
        var d = s.Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(d.Length);
        foreach (var c in d)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                sb.Append(char.ToLowerInvariant(c));
            }
        }

        return sb.ToString().Replace('\u00A0', ' ').Replace('\u202F', ' ');
    }

    // Words one language never uses in a reply of the other. Spanish replies may contain "check-in", "Wi-Fi", "Room service";
    // English replies may contain Spanish proper names (streets, the hotel, airports), removed before checking.
    private static readonly HashSet<string> EnglishOnly = new(StringComparer.Ordinal)
    {
        "the", "you", "your", "shall", "would", "which", "sorry", "please", "thanks", "what", "hours", "with", "here", "there", "book",
        "booking", "night", "nights", "guests", "from", "until", "includes", "yes", "great", "choice", "we", "our", "i", "is", "are",
    };

    private static readonly HashSet<string> SpanishOnly = new(StringComparer.Ordinal)
    {
        "el", "los", "las", "del", "que", "con", "para", "por", "una", "habitacion", "noche", "noches", "personas", "horario",
        "cuadras", "gratis", "incluye", "reserva", "entrada", "salida", "hasta", "desde", "tenemos", "tengo", "querés", "queres", "tenes",
        "pileta", "desayuno", "cochera", "traslado", "hola", "gracias", "perdon", "cuesta", "sale", "todo", "y", "es", "son", "te",
    };

    private static string? WrongLanguage(string text, string language, string? guestName)
    {
        var cleaned = UrlPattern().Replace(text, " ");
        cleaned = EmailPattern().Replace(cleaned, " ");
        cleaned = ReferencePattern().Replace(cleaned, " ");
        foreach (var proper in ProperNames.Concat(guestName is null ? [] : [guestName]))
        {
            cleaned = cleaned.Replace(proper, " ", StringComparison.OrdinalIgnoreCase);
        }

        var folded = Fold(cleaned);
        if (language == "en" && (cleaned.Contains('¿', StringComparison.Ordinal) || cleaned.Contains('¡', StringComparison.Ordinal)))
        {
            return "¿";
        }

        var bad = language == "en" ? SpanishOnly : EnglishOnly;
        foreach (Match m in WordPattern().Matches(folded))
        {
            if (bad.Contains(m.Value))
            {
                return m.Value;
            }
        }

        return null;
    }

    private static readonly string[] ProperNames =
    [
        "Hotel Palermo Soho", "Palermo Soho", "Gurruchaga", "Plaza Serrano", "Plaza Italia", "Buenos Aires", "Aeroparque", "Ezeiza",
        "Palermo Suite", "Suite Palermo", "Room service",
    ];

    [GeneratedRegex(@"https?://\S+")]
    private static partial Regex UrlPattern();

    [GeneratedRegex(@"\S+@\S+")]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"\b[A-Z]{2,4}-[A-Z0-9]{4,10}\b")]
    private static partial Regex ReferencePattern();

    [GeneratedRegex(@"[a-zñ]+")]
    private static partial Regex WordPattern();

    [GeneratedRegex(@"(mand|envi|envío|envio|send|sent|sending|we'll send|we will send)[^.\n]*(confirmaci|confirmation)")]
    private static partial Regex EmailPromise();
}
