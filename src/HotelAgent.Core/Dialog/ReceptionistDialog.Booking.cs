using System.Globalization;
using System.Text;
using HotelAgent.Core.Messaging;
using HotelAgent.Core.Nlu;
using HotelAgent.Core.Pms;

namespace HotelAgent.Core.Dialog;

/// <summary>Availability, quotes and the booking flow.</summary>
public sealed partial class ReceptionistDialog
{
    // ---------------------------------------------------------------- slots

    /// <summary>
    /// The day of the month <paramref name="day"/> names, in the month before, of or after it: the first after the booking's
    /// arrival when the guest moves it later, the last before when earlier, else the nearest; never past.
    /// </summary>
    private static DateOnly MovedDay(DateOnly day, DateOnly arrival, DateOnly today, bool later, bool earlier)
    {
        var candidates = new[] { day.AddMonths(-1), day, day.AddMonths(1) }
            .Where(d => d.Day == day.Day && d >= today && d != arrival)
            .ToList();
        var pick = later ? candidates.Where(d => d > arrival).Cast<DateOnly?>().FirstOrDefault()
            : earlier ? candidates.Where(d => d < arrival).Cast<DateOnly?>().LastOrDefault()
            : candidates.OrderBy(d => Math.Abs(d.DayNumber - arrival.DayNumber)).Cast<DateOnly?>().FirstOrDefault();
        return pick ?? day;
    }

    /// <summary>The stay being talked about: the one being booked, a change being quoted, or the booking being changed.</summary>
    private static (DateOnly CheckIn, int Nights)? CurrentStay(TurnContext t)
    {
        var stay = t.S.Stay;
        if (stay.CheckIn is { } ci && (stay.CheckOut is not null || stay.Nights is not null))
        {
            return (ci, stay.Nights ?? (stay.CheckOut!.Value.DayNumber - ci.DayNumber));
        }

        if (t.S.PendingChange is { CheckIn: { } pi, CheckOut: { } po })
        {
            return (pi, po.DayNumber - pi.DayNumber);
        }

        return t.S.Target is { } target ? (target.CheckIn, target.CheckOut.DayNumber - target.CheckIn.DayNumber) : null;
    }

    /// <summary>
    /// The stay facts in this message, read in the context of the conversation: "3" is the party size when we asked for
    /// guests and the nights when we asked for the departure; a partial date ("no, mejor del 11 al 13") is read in the month
    /// of the dates already on the table, not against today.
    /// </summary>
    /// <summary>A month named in this message with no day of it ("en febrero", "for march"), or null.</summary>
    private static string? MonthNamedAlone(TurnContext t) =>
        t.Nlu.Entities.CheckIn is null && t.Nlu.Entities.CheckOut is null && t.Turn.Message.ReplyId is null
            ? t.Norm.Split(' ').FirstOrDefault(w => w.Length > 3 && DateExtractor.IsMonth(w))
            : null;

    private static StaySlots ExtractStaySlots(TurnContext t, NluResult nlu)
    {
        var e = nlu.Entities;
        var checkIn = e.CheckIn;
        var checkOut = e.CheckOut;
        var nights = e.Nights;
        var guests = e.Guests;
        var asked = t.S.Asked;

        // Days without a month after "¿qué días tenés libres en febrero?" are read against the middle of February.
        var anchor = t.S.Stay.CheckIn ?? t.S.PendingChange?.CheckIn ?? t.S.Target?.CheckIn ?? t.S.StayMonth;
        if (anchor is { } a && (checkIn is not null || checkOut is not null) && t.Raw.Length > 0)
        {
            var (ci, co, n) = EntityExtractor.ExtractStay(t.Raw, t.Turn.Today, a);
            if (ci is not null || co is not null)
            {
                (checkIn, checkOut, nights) = (ci, co, n ?? nights);
            }
        }

        // "tengo una reserva para el 10, ¿la puedo pasar al 17?" / "tengo reservado del 10 al 12, ¿se puede mover del 17 al 19?":
        // the booking's own arrival restated before the change word is where it is now; the dates after that word are the change.
        if (t.S.Target is { } target && checkIn == target.CheckIn && t.S.Stay.CheckIn is null
            && DialogText.IndexOfAny(t.Norm, ChangeWords) is var at and > 0)
        {
            var tail = t.Norm[at..];
            var (ci, co, n) = EntityExtractor.ExtractStay(tail, t.Turn.Today, target.CheckIn);
            if (n is null && (ci is null || co is null) && (ci ?? co) is { } day
                && !tail.Split(' ').Any(w => DateExtractor.IsMonth(w) || w.Contains('/', StringComparison.Ordinal)))
            {
                // A lone day after a change word ("pasala al 17", "adelantarla al 8", "atrasar al 28") is where the stay moves
                // to, nights kept. Without a month it is read against the booking, not today: later or earlier when the
                // guest said so, else in whichever month puts it nearest the booking.
                var later = DialogText.ContainsAny(t.Norm, "atras*", "posterg*", "pospon*", "postpone", "later");
                var earlier = DialogText.ContainsAny(t.Norm, "adelant*", "earlier", "bring it forward", "sooner");
                ci = MovedDay(day, target.CheckIn, t.Turn.Today, later, earlier);
                co = null;
            }

            if (ci is not null && ci != target.CheckIn)
            {
                (checkIn, checkOut, nights) = (ci, co, n);
            }
        }

        // A single date while we asked for the departure is the departure.
        if (asked == AskedSlot.CheckOut && checkIn is { } only && checkOut is null && t.S.Stay.CheckIn is { } ci0 && only > ci0)
        {
            checkOut = only;
            checkIn = null;
            nights = null;
        }

        // "en realidad llego el 9" changes the arrival only: the departure already agreed stays when it is still after it
        // (a bare "mejor el 9" or "pasala al 9" moves the whole stay instead, keeping the nights).
        if (checkIn is { } arrival && checkOut is null && nights is null
            && (t.S.Stay.CheckOut ?? t.S.PendingChange?.CheckOut ?? t.S.Target?.CheckOut) is { } agreedOut && arrival < agreedOut
            && arrival != anchor
            && DialogText.ContainsAny(t.Norm, "llego", "llegamos", "llegaria", "llegariamos", "llegaremos", "entro", "entramos",
                "arrive", "arriving", "arrival", "get there", "llegada"))
        {
            checkOut = agreedOut;
        }

        // "hasta el domingo" is resolved by the NLU against today; relative to a later check-in it means the Sunday after it.
        if (checkIn is null && checkOut is { } co0 && t.S.Stay.CheckIn is { } ci1 && co0 <= ci1 && ci1.DayNumber - co0.DayNumber < 7)
        {
            checkOut = co0.AddDays(7);
        }

        // "una noche más" / "one more night" lengthens the stay on the table (it is not a 1-night stay); "una noche menos" shortens it.
        if (DialogText.ExtraNights(t.Norm) is { } extra && checkOut is null && CurrentStay(t) is { } current
            && (checkIn is null || checkIn == current.CheckIn) && current.Nights + extra >= 1)
        {
            checkIn = null;
            nights = current.Nights + extra;
        }

        // "se suma mi hijo" / "one more person" grows the party on the table (the NLU reads "mi hijo de 8" as nothing, "somos 2" as 2).
        if (DialogText.ExtraGuests(t.Norm) is { } joining && (t.S.Stay.Guests ?? t.S.PendingChange?.Guests ?? t.S.Target?.Guests) is { } party)
        {
            guests = party + joining;
        }

        // "somos una pareja" / "a couple" is two people whatever the number words say.
        if (guests is null or 1 && DialogText.ContainsAny(t.Norm, "pareja", "couple"))
        {
            guests = 2;
        }

        var bare = DialogText.BareNumber(t.Norm);
        if (bare is { } n0 && t.Turn.Message.ReplyId is null)
        {
            if (asked == AskedSlot.Guests)
            {
                guests = n0;
                nights = null;
            }
            else if (asked == AskedSlot.CheckOut && checkOut is null)
            {
                nights = n0;
                guests = null;
            }
            else if (t.S.Stage is DialogStage.OfferingRooms or DialogStage.ChoosingReservation or DialogStage.Clarifying)
            {
                // "2" picks an option there; it is not a party size.
                guests = null;
                nights = null;
            }
        }

        return new StaySlots { CheckIn = checkIn, CheckOut = checkOut, Nights = nights, Guests = guests, RoomType = e.RoomType };
    }

    private static bool HasStayDelta(StaySlots d) =>
        d.CheckIn is not null || d.CheckOut is not null || d.Nights is not null || d.Guests is not null || d.RoomType is not null;

    private static bool HasDates(StaySlots d) => d.CheckIn is not null || d.CheckOut is not null || d.Nights is not null;

    /// <summary>Applies a correction keeping the rest: a new check-in keeps the number of nights ("no, mejor del 11").</summary>
    internal static StaySlots Merge(StaySlots current, StaySlots delta)
    {
        var s = current;
        if (delta.RoomType is not null)
        {
            s = s with { RoomType = delta.RoomType };
        }

        if (delta.Party is not null)
        {
            s = s with { Party = delta.Party, AgesAsked = s.AgesAsked && delta.Party.UnknownAges <= (s.Party?.UnknownAges ?? 0) };
        }
        else if (delta.Guests is not null && delta.Guests != s.Guests)
        {
            // A plain new count ("somos 3") replaces the party described before.
            s = s with { Party = null };
        }

        if (delta.Guests is not null)
        {
            s = s with { Guests = delta.Guests };
        }

        if (delta.CheckIn is { } ci)
        {
            if (delta.CheckOut is { } co)
            {
                s = s with { CheckIn = ci, CheckOut = co, Nights = co.DayNumber - ci.DayNumber };
            }
            else if ((delta.Nights ?? s.Nights) is { } nights && nights > 0)
            {
                s = s with { CheckIn = ci, CheckOut = ci.AddDays(nights), Nights = nights };
            }
            else if (s.CheckOut is { } keep && keep > ci)
            {
                s = s with { CheckIn = ci, Nights = keep.DayNumber - ci.DayNumber };
            }
            else
            {
                s = s with { CheckIn = ci, CheckOut = null, Nights = null };
            }
        }
        else if (delta.CheckOut is { } co)
        {
            s = s with { CheckOut = co, Nights = s.CheckIn is { } start ? co.DayNumber - start.DayNumber : null };
        }
        else if (delta.Nights is { } nights && nights > 0)
        {
            s = s with { Nights = nights, CheckOut = s.CheckIn?.AddDays(nights) };
        }

        return s;
    }

    /// <summary>The flow moved forward now (expiry counts from here).</summary>
    private static void Touch(TurnContext t) => t.S = t.S with { FlowTouchedAt = t.Turn.Message.Timestamp, ExpiredStay = null };

    private async Task StartStayAsync(TurnContext t, NluResult nlu)
    {
        var delta = ExtractStayDelta(t, nlu);
        if (!InBookingFlow(t.S.Stage))
        {
            t.S = t.S.ClearFlow() with { Stage = DialogStage.CollectingStay };
        }

        var before = t.S.Stay;
        var stay = Merge(before, delta);
        t.S = t.S with { Stay = stay, Stage = DialogStage.CollectingStay, Selected = null, PendingWriteKey = null };
        if (stay.CheckIn != before.CheckIn || stay.CheckOut != before.CheckOut)
        {
            t.S = t.S with { LongStayConfirmed = false };
        }

        Touch(t);
        string? lead = before.CheckIn is not null ? ChangeLead(t, before, stay) : null;
        if (lead is null && nlu.Intent == NluLabels.AskPrice && stay.CheckIn is null)
        {
            // Prices come from the PMS for real dates: say why the dates are needed.
            lead = stay.RoomType is { } priced
                ? L(t, $"Te paso el precio exacto de la {RoomName(t, priced)} para tus fechas.", $"I'll give you the exact price of the {RoomName(t, priced)} for your dates.")
                : L(t, "Te paso el precio exacto para tus fechas.", "I'll give you the exact price for your dates.");
        }

        await AdvanceStayAsync(t, lead);
    }

    /// <summary>"Perfecto, cambio las fechas: del 11/1 al 13/1 (2 noches)." — every change is read back before anything else.</summary>
    private string? ChangeLead(TurnContext t, StaySlots before, StaySlots after)
    {
        // Only values that were already agreed and now change are read back (filling a missing slot is not a change).
        var parts = new List<string>();
        if (before.CheckIn is not null && before.CheckOut is not null && (after.CheckIn != before.CheckIn || after.CheckOut != before.CheckOut)
            && after.CheckIn is { } ci)
        {
            parts.Add(after.CheckOut is { } co
                ? L(t, $"cambio las fechas: {DateRange(t, ci, co)} ({Nights(t, co.DayNumber - ci.DayNumber)})",
                    $"I've changed the dates: {DateRange(t, ci, co)} ({Nights(t, co.DayNumber - ci.DayNumber)})")
                : L(t, $"cambio la entrada al {DayMonth(t, ci)}", $"I've changed the arrival to {DayMonth(t, ci)}"));
        }

        if (before.Guests is not null && after.Guests is not null && (after.Guests != before.Guests || (after.Party is not null && after.Party != before.Party)))
        {
            parts.Add(L(t, $"para {PartyText(t, after)}", $"for {PartyText(t, after)}"));
        }

        if (before.RoomType is not null && after.RoomType != before.RoomType && after.RoomType is { } room)
        {
            parts.Add(L(t, $"en la {RoomName(t, room)}", $"in the {RoomName(t, room)}"));
        }

        return parts.Count == 0 ? null : L(t, "Perfecto, ", "OK, ") + string.Join(", ", parts) + ".";
    }

    /// <summary>A correction at any point of the booking flow: update the slots, read the change back, keep the rest, re-quote.</summary>
    private async Task ApplyStayCorrectionAsync(TurnContext t, StaySlots delta)
    {
        var previous = t.S.Selected;
        var before = t.S.Stay;
        var stay = Merge(before, delta);
        var lead = ChangeLead(t, before, stay);
        // Only a room named while we wait for the dates or the party ("la doble" to "¿cuántas personas?") does not answer the
        // question: it stays the same question, so asking it again is rephrased, not repeated word for word.
        var answered = stay.CheckIn != before.CheckIn || stay.CheckOut != before.CheckOut || stay.Nights != before.Nights || stay.Guests != before.Guests;
        t.S = t.S with { Stay = stay, Stage = DialogStage.CollectingStay, PendingWriteKey = null, QuestionKey = answered ? null : t.S.QuestionKey };
        if (stay.CheckIn != before.CheckIn || stay.CheckOut != before.CheckOut)
        {
            t.S = t.S with { LongStayConfirmed = false };
        }

        Touch(t);

        // Another room picked from the options already quoted for the same stay: switch, no new search.
        if (delta.RoomType is { } wanted && !HasDates(delta) && delta.Guests is null && previous is not null
            && t.S.Offers.FirstOrDefault(o => string.Equals(o.RoomType, wanted, StringComparison.Ordinal)) is { } other)
        {
            t.S = t.S with { Selected = other, FocusRoom = other.RoomType };
            await ContinueBookingDetailsAsync(t, L(t, $"Perfecto, cambio a la {OfferName(t, other)}: total {Price(t, other.TotalPrice, other.Currency)}.",
                $"OK, switching to the {OfferName(t, other)}: total {Price(t, other.TotalPrice, other.Currency)}."));
            return;
        }

        // Another room after the pick ("mejor la suite" at the summary): quote that room and go on to a new summary.
        if (previous is not null && delta.RoomType is { } otherRoom && stay.IsComplete && Validate(t, stay) is null && !NeedsLongStayCheck(t, stay)
            && (RoomTypes.FirstOrDefault(r => r.Code == otherRoom)?.Capacity ?? 0) >= stay.Guests)
        {
            var search = await t.Effects.SearchAvailabilityAsync(new StayQuery(stay.CheckIn!.Value, stay.CheckOut!.Value, stay.Guests!.Value, otherRoom));
            if (!search.IsOk)
            {
                PmsTrouble(t, search.Status);
                return;
            }

            if (search.Value!.FirstOrDefault(o => string.Equals(o.RoomType, otherRoom, StringComparison.Ordinal)) is { } found)
            {
                var offer = ToQuoted(found);
                t.S = t.S with { Offers = [.. t.S.Offers.Where(o => o.RoomType != offer.RoomType), offer], Selected = offer, FocusRoom = offer.RoomType, Stage = DialogStage.CollectingGuestDetails };
                t.Events.Add(new DialogEvent(DialogEventKind.Quoted) { Total = offer.TotalPrice, Currency = offer.Currency });
                await ContinueBookingDetailsAsync(t, L(t, $"Perfecto, cambio a la {OfferName(t, offer)}: total {Price(t, offer.TotalPrice, offer.Currency)}.",
                    $"OK, switching to the {OfferName(t, offer)}: total {Price(t, offer.TotalPrice, offer.Currency)}."));
                return;
            }
        }

        if (previous is not null && delta.RoomType is null && stay.IsComplete && Validate(t, stay) is null && !NeedsLongStayCheck(t, stay)
            && (RoomTypes.FirstOrDefault(r => r.Code == previous.RoomType)?.Capacity ?? previous.Capacity) >= stay.Guests)
        {
            // A room was already chosen: re-quote that room for the new stay and go on with the booking.
            var result = await t.Effects.SearchAvailabilityAsync(new StayQuery(stay.CheckIn!.Value, stay.CheckOut!.Value, stay.Guests!.Value, previous.RoomType));
            if (!result.IsOk)
            {
                PmsTrouble(t, result.Status);
                return;
            }

            var same = result.Value!.FirstOrDefault(o => string.Equals(o.RoomType, previous.RoomType, StringComparison.Ordinal));
            if (same is not null)
            {
                var offer = ToQuoted(same);
                t.S = t.S with { Offers = [offer], Selected = offer, Stage = DialogStage.CollectingGuestDetails };
                t.Events.Add(new DialogEvent(DialogEventKind.Quoted) { Total = offer.TotalPrice, Currency = offer.Currency });
                await ContinueBookingDetailsAsync(t, (lead ?? L(t, "Listo.", "Done.")) + "\n" + OfferLine(t, offer, 0, numbered: false));
                return;
            }

            lead = (lead is null ? string.Empty : lead + " ") + L(t, $"La {OfferName(t, previous)} no tiene lugar para esas fechas.", $"The {OfferName(t, previous)} isn't available for those dates.");
        }

        t.S = t.S with { Selected = null };
        await AdvanceStayAsync(t, lead);
    }

    /// <summary>Validates the collected stay; returns the message to say, or null when it is fine.</summary>
    private string? Validate(TurnContext t, StaySlots s)
    {
        if (s.CheckIn is { } ci && ci < t.Turn.Today)
        {
            return L(t, $"El {DayMonth(t, ci)} ya pasó.", $"{DayMonth(t, ci)} has already passed.");
        }

        if (s.CheckIn is { } a && s.CheckOut is { } b && b <= a)
        {
            return L(t, "La salida tiene que ser después de la entrada.", "Departure has to be after arrival.");
        }

        if (s.CheckIn is { } c && s.CheckOut is { } d && d.DayNumber - c.DayNumber > PmsLimits.MaxNights)
        {
            return L(t, $"Puedo reservar hasta {PmsLimits.MaxNights} noches por reserva; para estadías más largas escribinos a {_profile.Email}.",
                $"I can book up to {PmsLimits.MaxNights} nights per booking; for longer stays write to {_profile.Email}.");
        }

        if (s.Guests is { } g && (g <= 0 || g > 30))
        {
            return L(t, "No me quedó clara la cantidad de personas.", "I didn't get the number of guests.");
        }

        return null;
    }

    private bool NeedsLongStayCheck(TurnContext t, StaySlots s) =>
        !t.S.LongStayConfirmed && s.CheckIn is { } a && s.CheckOut is { } b && b.DayNumber - a.DayNumber > _options.LongStayNights;

    private string LongStayQuestion(TurnContext t)
    {
        var s = t.S.Stay;
        return s.CheckIn is { } a && s.CheckOut is { } b
            ? L(t, $"Quiero confirmar las fechas: entrada el {LongDate(t, a)} y salida el {LongDate(t, b)}, o sea {Nights(t, b.DayNumber - a.DayNumber)}. ¿Es así?",
                $"Let me check the dates: arriving {LongDate(t, a)} and leaving {LongDate(t, b)}, that is {Nights(t, b.DayNumber - a.DayNumber)}. Is that right?")
            : L(t, "¿Las fechas son correctas?", "Are the dates right?");
    }

    /// <summary>Asks for the next missing slot (one question at a time) or quotes when the stay is complete.</summary>
    private async Task AdvanceStayAsync(TurnContext t, string? lead = null)
    {
        var s = t.S.Stay;
        var problem = Validate(t, s);
        if (problem is not null)
        {
            if (s.CheckIn is { } ci && ci < t.Turn.Today)
            {
                s = s with { CheckIn = null, CheckOut = null, Nights = s.Nights };
            }
            else if (s.CheckIn is { } a && s.CheckOut is { } b && (b <= a || b.DayNumber - a.DayNumber > PmsLimits.MaxNights))
            {
                s = s with { CheckOut = null, Nights = null };
            }
            else
            {
                s = s with { Guests = null };
            }
        }

        // A single room is for one person: no need to ask.
        if (s.Guests is null && s.RoomType is { } type && RoomTypes.FirstOrDefault(r => r.Code == type) is { Capacity: 1 })
        {
            s = s with { Guests = 1 };
        }

        t.S = t.S with { Stay = s };
        var opening = string.Join(' ', new[] { lead, problem }.Where(x => !string.IsNullOrEmpty(x)));
        var next = s.CheckIn is null ? AskedSlot.CheckIn : s.CheckOut is null ? AskedSlot.CheckOut : s.Guests is null ? AskedSlot.Guests : AskedSlot.None;
        if (next == AskedSlot.CheckIn && HolidayLead(t) is { } holiday)
        {
            opening = opening.Length == 0 ? holiday : opening + " " + holiday;
        }
        else if (next == AskedSlot.CheckIn && MonthNamedAlone(t) is { } month
                 && EntityExtractor.ExtractStay("1 de " + month, t.Turn.Today, null).CheckIn is { } first)
        {
            // "¿qué días tenés libres en febrero?": remember the month, so "del 10 al 13" is read in it.
            t.S = t.S with { StayMonth = first.AddDays((DateTime.DaysInMonth(first.Year, first.Month) / 2) - 1) };
            var lead2 = L(t, $"Dale, en {month}.", $"Sure, in {CultureInfo.InvariantCulture.TextInfo.ToTitleCase(month)}.");
            opening = opening.Length == 0 ? lead2 : opening + " " + lead2;
        }

        if (next != AskedSlot.None)
        {
            t.S = t.S with { Stage = DialogStage.CollectingStay, Asked = next };
            Ask(t, "stay:" + next, opening.Length == 0 ? null : opening);
            return;
        }

        if (NeedsLongStayCheck(t, s))
        {
            t.S = t.S with { Stage = DialogStage.CollectingStay, Asked = AskedSlot.ConfirmLongStay };
            Ask(t, "stay:ConfirmLongStay", opening.Length == 0 ? null : opening, YesNoOptions(t));
            return;
        }

        await QuoteAsync(t, opening.Length == 0 ? null : opening);
    }

    /// <summary>
    /// "el finde largo de carnaval": a holiday period is never turned into dates silently (arrive Friday or Saturday, leave on
    /// the holiday or the day after?), but the guest is told when it falls before being asked for the exact days.
    /// </summary>
    private static string? HolidayLead(TurnContext t)
    {
        if (HolidayPeriods.Find(t.Norm, t.Turn.Today) is not { } p)
        {
            return null;
        }

        var c = Culture(t);
        var sameMonth = p.First.Month == p.Last.Month;
        var range = L(t,
            $"va del {p.First.ToString(sameMonth ? "dddd d" : "dddd d 'de' MMMM", c)} al {p.Last.ToString("dddd d 'de' MMMM 'de' yyyy", c)}",
            $"runs from {p.First.ToString(sameMonth ? "dddd, MMMM d" : "dddd, MMMM d", c)} to {p.Last.ToString("dddd, MMMM d, yyyy", c)}");
        var name = L(t, p.NameEs, p.NameEn);
        return char.ToUpper(name[0], CultureInfo.InvariantCulture) + name[1..] + " " + range + ".";
    }

    private async Task QuoteAsync(TurnContext t, string? lead = null)
    {
        var s = t.S.Stay;
        var prefix = lead is null ? string.Empty : lead + "\n";
        var wanted = s.RoomType;
        if (wanted is not null && RoomTypes.Count > 0 && !RoomTypes.Any(r => string.Equals(r.Code, wanted, StringComparison.Ordinal)))
        {
            // A kind of room this hotel does not have (its PMS lists the types): say so and show what it has.
            prefix += L(t, $"No tenemos habitación {wanted}; te muestro las que hay.\n", $"We don't have a {wanted} room; here is what we have.\n");
            wanted = null;
            t.S = t.S with { Stay = s with { RoomType = null } };
        }
        else if (wanted is not null && RoomTypes.FirstOrDefault(r => r.Code == wanted) is { } profileRoom && profileRoom.Capacity < s.Guests)
        {
            // The room asked for cannot hold the party: say so and show the rooms that can.
            prefix += L(t, $"La {profileRoom.NameFor(t.S.Language)} es para hasta {Guests(t, profileRoom.Capacity)}; para {Guests(t, s.Guests!.Value)} te muestro lo que tengo.\n",
                $"The {profileRoom.NameFor(t.S.Language)} holds up to {Guests(t, profileRoom.Capacity)}; for {Guests(t, s.Guests!.Value)} here's what I have.\n");
            wanted = null;
            t.S = t.S with { Stay = s with { RoomType = null } };
        }

        var query = new StayQuery(s.CheckIn!.Value, s.CheckOut!.Value, s.Guests!.Value, wanted);
        var result = await t.Effects.SearchAvailabilityAsync(query);
        if (!result.IsOk)
        {
            t.S = t.S with { Stage = DialogStage.CollectingStay, Asked = AskedSlot.None };
            PmsTrouble(t, result.Status);
            return;
        }

        var offers = result.Value!;
        if (offers.Count == 0 && wanted is not null)
        {
            var any = await t.Effects.SearchAvailabilityAsync(query with { RoomType = null });
            if (any.IsOk && any.Value!.Count > 0)
            {
                offers = any.Value;
                prefix += L(t, $"No hay disponibilidad de la {RoomName(t, wanted)} para esas fechas, pero tengo estas opciones:\n",
                    $"I have no {RoomName(t, wanted)} free for those dates, but I do have:\n");
            }
        }

        if (offers.Count == 0)
        {
            t.S = t.S with { Stage = DialogStage.CollectingStay, Asked = AskedSlot.CheckIn, Offers = [], Selected = null, QuestionKey = null };
            var biggest = RoomTypes.Count == 0 ? 0 : RoomTypes.Max(r => r.Capacity);
            if (s.Guests > biggest && biggest > 0)
            {
                // Multi-room bookings are not built: say so, tell what would change it (children's ages), and offer reception
                // (a "sí" or the button hands off with reason large_party).
                var agesHint = AgesHint(t, s);
                t.S = t.S with { HumanOffered = true };
                t.Say(new Reply(prefix
                    + L(t, $"Nuestras habitaciones son para hasta {biggest} personas, así que para {PartyText(t, s)} no puedo reservarte una sola habitación por acá. Recepción te arma una opción con varias habitaciones: {_profile.Phone} · {_profile.Email}",
                        $"Our rooms hold up to {biggest} guests, so I can't book one room for {PartyText(t, s)} here. Reception can arrange several rooms for you: {_profile.Phone} · {_profile.Email}")
                    + (agesHint is null ? string.Empty : "\n" + agesHint)
                    + L(t, "\n¿Querés que te comunique con recepción?", "\nWould you like me to put you in touch with reception?"))
                {
                    Options = [new ReplyOption("human", L(t, "Hablar con recepción", "Talk to reception"))],
                });
                return;
            }

            t.Say(prefix + L(t, $"No tengo habitaciones libres del {ShortDate(t, s.CheckIn!.Value)} al {ShortDate(t, s.CheckOut!.Value)} para {PartyText(t, s)}. ¿Querés probar con otras fechas?",
                $"I have no rooms free from {ShortDate(t, s.CheckIn!.Value)} to {ShortDate(t, s.CheckOut!.Value)} for {PartyText(t, s)}. Would you like to try other dates?"));
            return;
        }

        var quoted = offers.Take(_options.MaxOffers).Select(ToQuoted).ToList();
        t.S = t.S with { Stage = DialogStage.OfferingRooms, Asked = AskedSlot.None, Offers = quoted, Selected = null, PendingWriteKey = null, FocusRoom = null };
        t.Events.Add(new DialogEvent(DialogEventKind.Quoted) { Total = quoted[0].TotalPrice, Currency = quoted[0].Currency });

        if (AgesHint(t, s) is { } hint)
        {
            prefix += hint + "\n";
        }

        var sb = new StringBuilder(prefix);
        sb.Append(L(t,
            $"Del {ShortDate(t, s.CheckIn!.Value)} al {ShortDate(t, s.CheckOut!.Value)} ({Nights(t, quoted[0].Nights)}, {PartyText(t, s)}) tengo:\n",
            $"From {ShortDate(t, s.CheckIn!.Value)} to {ShortDate(t, s.CheckOut!.Value)} ({Nights(t, quoted[0].Nights)}, {PartyText(t, s)}) I have:\n"));
        for (var i = 0; i < quoted.Count; i++)
        {
            sb.Append(OfferLine(t, quoted[i], i, numbered: quoted.Count > 1)).Append('\n');
        }

        t.S = t.S with { QuestionKey = null }; // a new quote is a new question, not the same one again
        Ask(t, "offers", sb.ToString(), OfferOptions(t), L(t, "Ver opciones", "See options"));
    }

    private IReadOnlyList<ReplyOption> OfferOptions(TurnContext t) =>
        t.S.Offers.Select(o => new ReplyOption(o.RoomType, Truncate(OfferName(t, o), 20),
            Truncate(L(t, $"{Price(t, o.NightlyRate, o.Currency)}/noche · total {Price(t, o.TotalPrice, o.Currency)}",
                $"{Price(t, o.NightlyRate, o.Currency)}/night · total {Price(t, o.TotalPrice, o.Currency)}"), 72))).ToArray();

    private string OfferLine(TurnContext t, QuotedOffer o, int index, bool numbered)
    {
        var inc = OfferIncludes(t, o);
        var includes = inc.Count == 0 ? string.Empty : L(t, $" Incluye {Join(t, inc)}.", $" Includes {Join(t, inc)}.");
        var head = numbered ? $"{index + 1}. " : string.Empty;
        return head + L(t,
            $"{OfferName(t, o)}: {Price(t, o.NightlyRate, o.Currency)} por noche, total {Price(t, o.TotalPrice, o.Currency)}.{includes}",
            $"{OfferName(t, o)}: {Price(t, o.NightlyRate, o.Currency)} per night, total {Price(t, o.TotalPrice, o.Currency)}.{includes}");
    }

    /// <summary>The offer's name in the guest's language (the profile's, when the PMS type is one of the hotel's).</summary>
    private string OfferName(TurnContext t, QuotedOffer o) =>
        RoomTypes.FirstOrDefault(r => string.Equals(r.Code, o.RoomType, StringComparison.Ordinal))?.NameFor(t.S.Language) ?? o.Name;

    private IReadOnlyList<string> OfferIncludes(TurnContext t, QuotedOffer o) =>
        string.Equals(t.S.Language, "en", StringComparison.Ordinal)
        && RoomTypes.FirstOrDefault(r => string.Equals(r.Code, o.RoomType, StringComparison.Ordinal)) is { } room
        && room.Includes.SequenceEqual(o.Includes, StringComparer.Ordinal)
            ? room.IncludesFor("en")
            : o.Includes;

    private static QuotedOffer ToQuoted(RoomOffer o) =>
        new(o.RoomType, o.Name, o.Capacity, o.NightlyRate, o.Nights, o.TotalPrice, o.Currency, o.Includes.ToArray());

    // ---------------------------------------------------------------- guest details

    /// <summary>After an option is picked: confirm the name, ask the optional email, then show the summary.</summary>
    private async Task ContinueBookingDetailsAsync(TurnContext t, string? lead = null)
    {
        var m = t.Turn.Message;
        Touch(t);
        t.S = t.S with { Stage = DialogStage.CollectingGuestDetails };
        if (m.Channel == Channel.Email && t.S.Email is null)
        {
            t.S = t.S with { Email = m.GuestId.Trim().ToLowerInvariant(), EmailAsked = true };
        }

        if (t.S.GuestName is null || !t.S.GuestNameConfirmed)
        {
            // A profile name of one word ("Maxi") is not a name for a booking: ask for first and last name.
            var candidate = t.S.GuestName ?? (CleanName(m.DisplayName) is { } display && display.Contains(' ', StringComparison.Ordinal) ? display : null);
            if (candidate is not null)
            {
                t.S = t.S with { GuestName = candidate, Asked = AskedSlot.ConfirmName };
                Ask(t, "name:confirm", lead, YesNoOptions(t));
            }
            else
            {
                t.S = t.S with { Asked = AskedSlot.GuestName };
                Ask(t, "name", lead);
            }

            return;
        }

        if (t.S.Email is null && !t.S.EmailAsked)
        {
            t.S = t.S with { Asked = AskedSlot.Email, EmailAsked = true };
            Ask(t, "email", lead, [new ReplyOption("skip", L(t, "Prefiero no", "No, thanks"))]);
            return;
        }

        await Task.CompletedTask;
        ShowBookingSummary(t, lead);
    }

    private string EmailQuestion(TurnContext t) => _emailConfirmations && t.Turn.Message.Channel != Channel.Email
        ? L(t, "¿Me pasás un email para enviarte la confirmación? Es opcional.", "Could you give me an email to send you the confirmation? It's optional.")
        : L(t, "¿Querés dejarme un email de contacto? Es opcional.", "Would you like to leave a contact email? It's optional.");

    /// <summary>The lead of the first question after a pick: the choice read back.</summary>
    private string PickedLead(TurnContext t, QuotedOffer o) => t.S.Stay.CheckIn is { } a && t.S.Stay.CheckOut is { } b
        ? L(t, $"¡Buena elección! {OfferName(t, o)}, del {ShortDate(t, a)} al {ShortDate(t, b)}, total {Price(t, o.TotalPrice, o.Currency)}.",
            $"Great choice! {OfferName(t, o)}, {ShortDate(t, a)} to {ShortDate(t, b)}, total {Price(t, o.TotalPrice, o.Currency)}.")
        : L(t, "¡Buena elección!", "Great choice!");

    private async Task<bool> HandleGuestDetailsAsync(TurnContext t)
    {
        if (t.S.Asked == AskedSlot.Phone && await HandlePhoneAnswerAsync(t))
        {
            return true;
        }

        var nlu = t.Nlu;
        var delta = ExtractStayDelta(t, nlu);
        var named = CleanName(nlu.Entities.PersonName);
        var typedEmail = nlu.Entities.Email ?? DialogText.FindEmail(t.Raw);
        if (typedEmail is not null && t.S.Asked != AskedSlot.Email)
        {
            // An email given before we asked for it: keep it, and go on.
            t.S = t.S with { Email = typedEmail.Trim().ToLowerInvariant(), EmailAsked = true };
            if (named is null)
            {
                t.Say(L(t, "¡Anotado el email!", "Email noted!"));
                AskPendingAgain(t);
                return true;
            }
        }

        if (HasStayDelta(delta) && named is null && !(t.S.Asked == AskedSlot.GuestName && NameFromText(t) is not null))
        {
            await ApplyStayCorrectionAsync(t, delta);
            return true;
        }

        switch (t.S.Asked)
        {
            case AskedSlot.ConfirmName:
            {
                var answer = t.Turn.Message.ReplyId switch
                {
                    "yes" => YesNo.Yes,
                    "no" => YesNo.No,
                    _ => DialogText.ReadYesNo(t.Raw, ConfirmAction.Generic),
                };
                named ??= answer == YesNo.Unclear ? NameFromText(t) : null;
                if (named is not null)
                {
                    t.S = t.S with { GuestName = named, GuestNameConfirmed = true, Asked = AskedSlot.None };
                    await ContinueBookingDetailsAsync(t);
                    return true;
                }

                // "sí porfa. ¿a qué hora se puede entrar?": the yes counts, the question is answered, the booking goes on
                if (answer == YesNo.Unclear && t.Turn.Message.ReplyId is null && DialogText.YesBeforeQuestion(t.Raw, ConfirmAction.Generic) is not null
                    && await HotelAnswerTextAsync(t) is { } sideAnswer)
                {
                    t.Say(sideAnswer);
                    answer = YesNo.Yes;
                }

                if (answer == YesNo.Yes)
                {
                    t.S = t.S with { GuestNameConfirmed = true, Asked = AskedSlot.None };
                    await ContinueBookingDetailsAsync(t);
                    return true;
                }

                if (answer == YesNo.No)
                {
                    t.S = t.S with { GuestName = null, GuestNameConfirmed = false, Asked = AskedSlot.GuestName };
                    Ask(t, "name", L(t, "Dale.", "Sure."));
                    return true;
                }

                break;
            }

            case AskedSlot.GuestName:
            {
                if (named is null && DialogText.ContainsAny(t.Norm, "a mi nombre", "mi nombre", "el mio", "my name", "mine") && CleanName(t.Turn.Message.DisplayName) is { } display)
                {
                    named = display;
                }

                var name = named ?? NameFromText(t);
                if (name is not null)
                {
                    t.S = t.S with { GuestName = name, GuestNameConfirmed = true, Asked = AskedSlot.None };
                    await ContinueBookingDetailsAsync(t);
                    return true;
                }

                if (!DialogText.IsQuestion(t.Raw))
                {
                    // "sí", "dale, confirmame" or anything else that is not a name: ask again, rephrased.
                    Ask(t, "name");
                    return true;
                }

                break;
            }

            case AskedSlot.Email:
            {
                if (typedEmail is not null)
                {
                    t.S = t.S with { Email = typedEmail.Trim().ToLowerInvariant(), Asked = AskedSlot.None };
                    ShowBookingSummary(t);
                    return true;
                }

                if (t.Turn.Message.ReplyId is "skip" || DialogText.ReadYesNo(t.Raw, ConfirmAction.Generic) == YesNo.No || IsNo(t)
                    || DialogText.ContainsAny(t.Norm, "prefiero no", "sin email", "sin mail", "no tengo", "skip", "no thanks", "no gracias", "paso", "no hace falta"))
                {
                    t.S = t.S with { Asked = AskedSlot.None };
                    ShowBookingSummary(t);
                    return true;
                }

                if (DialogText.ReadYesNo(t.Raw, ConfirmAction.Generic) == YesNo.Yes || DialogText.IsAcknowledgement(t.Raw))
                {
                    // "sí" to "¿querés dejarme un email?": ask for the address itself.
                    t.Say(new Reply(L(t, "¡Dale! Escribime tu email (por ejemplo nombre@gmail.com).", "Sure! Please type your email (for example name@gmail.com)."))
                    {
                        Options = [new ReplyOption("skip", L(t, "Prefiero no", "No, thanks"))],
                    });
                    t.AskedThisTurn = "email";
                    return true;
                }

                if (!DialogText.IsQuestion(t.Raw))
                {
                    Ask(t, "email", L(t, "Mmm, no me pareció un email.", "Hmm, that doesn't look like an email."), [new ReplyOption("skip", L(t, "Prefiero no", "No, thanks"))]);
                    return true;
                }

                break;
            }
        }

        return false;
    }

    /// <summary>A reply to "what name?" that is just a name: 1-5 words of letters, not a yes/no, not a confident other request.</summary>
    private string? NameFromText(TurnContext t)
    {
        var text = t.Raw.Trim().TrimEnd('.', '!');
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length is < 1 or > 5 || !text.All(c => char.IsLetter(c) || c is ' ' or '\'' or '-' or '.'))
        {
            return null;
        }

        if (t.Nlu.Confidence >= _nlu.ActThreshold && t.Nlu.Intent is not (NluLabels.OutOfScope or NluLabels.Greeting or NluLabels.MakeReservation or NluLabels.Help))
        {
            return null;
        }

        if (DialogText.IsYes(t.Norm) || DialogText.IsNo(t.Norm) || DialogText.ReadYesNo(t.Raw, ConfirmAction.Booking) != YesNo.Unclear
            || DialogText.IsAcknowledgement(t.Raw) || t.Nlu.Entities.RoomType is not null || t.Nlu.Entities.Amenities.Count > 0
            || DialogText.ContainsAny(t.Norm, "hola", "gracias", "quiero", "necesito", "reserva*", "habitacion*", "cuanto", "precio"))
        {
            return null;
        }

        return CleanName(text);
    }

    private static string? CleanName(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        var words = raw.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(w => w.Length > 0 && char.IsLower(w[0]) ? char.ToUpper(w[0], CultureInfo.InvariantCulture) + w[1..] : w);
        var name = string.Join(' ', words);
        if (!name.Any(char.IsLetter))
        {
            return null;
        }

        return name.Length > 80 ? name[..80] : name;
    }

    private void ShowBookingSummary(TurnContext t, string? lead = null)
    {
        if (t.S.Selected is not { } o || !t.S.Stay.IsComplete)
        {
            // Defensive: never summarize (or book) an incomplete stay.
            t.S = t.S with { Stage = DialogStage.CollectingStay, Selected = null };
            var slot = t.S.Stay.CheckIn is null ? AskedSlot.CheckIn : t.S.Stay.CheckOut is null ? AskedSlot.CheckOut : AskedSlot.Guests;
            t.S = t.S with { Asked = slot };
            Ask(t, "stay:" + slot, lead);
            return;
        }

        var s = t.S.Stay;
        var p = _profile.Policies;
        var sb = new StringBuilder(lead is null ? string.Empty : lead + "\n");
        sb.Append(L(t, "Te confirmo los datos:\n", "Here are the details:\n"));
        sb.Append("• ").Append(OfferName(t, o)).Append('\n');
        sb.Append(L(t, $"• Entrada: {LongDate(t, s.CheckIn!.Value)} (desde las {p.CheckInTime})\n", $"• Check-in: {LongDate(t, s.CheckIn!.Value)} (from {p.CheckInTime})\n"));
        sb.Append(L(t, $"• Salida: {LongDate(t, s.CheckOut!.Value)} (hasta las {p.CheckOutTime})\n", $"• Check-out: {LongDate(t, s.CheckOut!.Value)} (until {p.CheckOutTime})\n"));
        sb.Append("• ").Append(Nights(t, o.Nights)).Append(", ").Append(PartyText(t, s)).Append('\n');
        sb.Append(L(t, "• A nombre de: ", "• Name: ")).Append(t.S.GuestName).Append('\n');
        if (t.S.Email is not null)
        {
            sb.Append("• Email: ").Append(t.S.Email).Append('\n');
        }

        sb.Append("• Total: ").Append(Price(t, o.TotalPrice, o.Currency));
        var inc = OfferIncludes(t, o);
        if (inc.Count > 0)
        {
            sb.Append(L(t, $" (incluye {Join(t, inc)})", $" (includes {Join(t, inc)})"));
        }

        // The consequences before the yes: what cancelling would cost.
        var freeUntil = CancellationPolicy.FreeUntil(_profile, s.CheckIn!.Value);
        sb.Append('\n').Append(freeUntil > t.Turn.Message.Timestamp
            ? L(t, $"• Cancelación sin cargo hasta el {DeadlineText(t, freeUntil)}; después se cobra la primera noche.",
                $"• Free cancellation until {DeadlineText(t, freeUntil)}; after that the first night is charged.")
            : L(t, $"• Ojo: faltan menos de {p.FreeCancellationHours} horas para la entrada, así que si después la cancelás se cobra la primera noche ({Price(t, o.NightlyRate, o.Currency)}).",
                $"• Note: check-in is less than {p.FreeCancellationHours} hours away, so cancelling later would cost the first night ({Price(t, o.NightlyRate, o.Currency)})."));
        t.S = t.S with { Stage = DialogStage.ConfirmingBooking, Asked = AskedSlot.None, QuestionKey = null };
        Touch(t);
        Ask(t, "confirm:booking", sb.Append('\n').ToString(), [new ReplyOption("yes", L(t, "Sí, reservar", "Yes, book it")), new ReplyOption("no", L(t, "No", "No"))]);
    }

    private IReadOnlyList<ReplyOption> ChangeOptions(TurnContext t) =>
    [
        new ReplyOption("change_dates", L(t, "Las fechas", "The dates")),
        new ReplyOption("change_guests", L(t, "Personas", "Guests")),
        new ReplyOption("change_room", L(t, "La habitación", "The room")),
    ];

    private void AskWhatToChange(TurnContext t, bool booking)
    {
        t.S = t.S with
        {
            Stage = booking ? DialogStage.CollectingStay : DialogStage.CollectingModification,
            Asked = AskedSlot.ChangeWhat,
            PendingWriteKey = null,
        };
        Ask(t, booking ? "change:booking" : "change:reservation", booking ? L(t, "Dale, no reservo nada.", "OK, I won't book anything.") : null, ChangeOptions(t));
    }

    private async Task HandleChangeWhatAsync(TurnContext t, string what, bool booking)
    {
        if (booking)
        {
            switch (what)
            {
                case "change_dates":
                    t.S = t.S with { Stay = t.S.Stay with { CheckIn = null, CheckOut = null, Nights = null }, Selected = null, Asked = AskedSlot.CheckIn, LongStayConfirmed = false };
                    Ask(t, "stay:CheckIn");
                    return;
                case "change_guests":
                    t.S = t.S with { Stay = t.S.Stay with { Guests = null, Party = null, AgesAsked = false }, Selected = null, Asked = AskedSlot.Guests };
                    Ask(t, "stay:Guests");
                    return;
                default:
                    t.S = t.S with { Stay = t.S.Stay with { RoomType = null }, Selected = null };
                    await AdvanceStayAsync(t);
                    return;
            }
        }

        switch (what)
        {
            case "change_dates":
                t.S = t.S with { Asked = AskedSlot.CheckIn };
                Ask(t, "modify:dates");
                return;
            case "change_guests":
                t.S = t.S with { Asked = AskedSlot.Guests };
                Ask(t, "modify:guests");
                return;
            default:
                // The hotel's room types as options, so types without a canonical code (QloApps' own) can be picked.
                t.S = t.S with { Asked = AskedSlot.ChangeWhat };
                AskWhichRoom(t);
                t.AskedThisTurn = "change:room";
                return;
        }
    }

    private async Task BookAsync(TurnContext t)
    {
        if (t.S.Selected is not { } o || !t.S.Stay.IsComplete)
        {
            t.S = t.S with { Stage = DialogStage.CollectingStay, Selected = null };
            await AdvanceStayAsync(t);
            return;
        }

        var s = t.S.Stay;
        var m = t.Turn.Message;
        var key = t.S.PendingWriteKey ?? t.Turn.IdempotencyPrefix + ":book";
        t.S = t.S with { PendingWriteKey = key };
        var request = new NewReservation
        {
            IdempotencyKey = key,
            GuestName = t.S.GuestName ?? m.DisplayName ?? L(t, "Huésped", "Guest"),
            Contact = m.GuestId,
            Email = t.S.Email,
            Phone = t.S.Phone,
            Channel = m.Channel,
            RoomType = o.RoomType,
            CheckIn = s.CheckIn!.Value,
            CheckOut = s.CheckOut!.Value,
            Guests = s.Guests!.Value,
            Children = s.Party is { } party ? party.CountedChildren(InfantAge) : 0,
            Infants = s.Party?.Infants(InfantAge) ?? 0,
            Note = StaffNote(s),
        };
        var result = await t.Effects.CreateReservationAsync(request);
        switch (result.Status)
        {
            case DialogPmsStatus.Ok when result.Value is not null:
                var r = result.Value;
                t.S = t.S.ClearFlow() with { LastBookedReference = r.Reference };
                t.Events.Add(DialogEvent.Booked(r.Reference, r.TotalPrice, r.Currency));
                var mail = r.Email ?? request.Email;
                string? mailLine = null;
                if (m.Channel == Channel.Email)
                {
                    mailLine = L(t, "Te adjunto el archivo para agendarla en tu calendario.", "I've attached a file to add it to your calendar.");
                }
                else if (mail is not null && _emailConfirmations)
                {
                    mailLine = L(t, $"Te envío la confirmación a {mail}.", $"I'm sending the confirmation to {mail}.");
                }

                t.Say(L(t,
                    $"¡Listo, {FirstName(r.GuestName)}! Tu reserva está confirmada ✅\nCódigo de reserva: {r.Reference}\n{OfferName(t, o)}, del {ShortDate(t, r.CheckIn)} al {ShortDate(t, r.CheckOut)}, total {Price(t, r.TotalPrice, r.Currency)}."
                    + (mailLine is null ? string.Empty : "\n" + mailLine) + "\n¡Te esperamos!",
                    $"All set, {FirstName(r.GuestName)}! Your booking is confirmed ✅\nBooking reference: {r.Reference}\n{OfferName(t, o)}, {ShortDate(t, r.CheckIn)} to {ShortDate(t, r.CheckOut)}, total {Price(t, r.TotalPrice, r.Currency)}."
                    + (mailLine is null ? string.Empty : "\n" + mailLine) + "\nWe look forward to seeing you!"));
                return;
            case DialogPmsStatus.PhoneRequired:
                AskForPhone(t, again: t.S.Phone is not null);
                return;
            case DialogPmsStatus.NoAvailability:
                t.S = t.S with { Selected = null, PendingWriteKey = null };
                await QuoteAsync(t, L(t, "¡Uy! Esa habitación se acaba de ocupar para esas fechas. Te muestro lo que queda:",
                    "Oh no, that room was just taken for those dates. Here's what's left:"));
                return;
            default:
                // State kept (still confirming, same write key): the guest can say "sí" again when the PMS is back.
                PmsTrouble(t, result.Status);
                return;
        }
    }

    // ---------------------------------------------------------------- formatting

    private void PmsTrouble(TurnContext t, DialogPmsStatus status)
    {
        if (status == DialogPmsStatus.Unavailable)
        {
            t.Events.Add(new DialogEvent(DialogEventKind.PmsUnavailable));
            t.Say(L(t,
                $"Perdón, ahora mismo no puedo consultar el sistema de reservas. Guardé lo que hablamos: probá de nuevo en unos minutos (con un \"dale\" alcanza), o comunicate con recepción al {_profile.Phone} o a {_profile.Email}.",
                $"Sorry, I can't reach the booking system right now. I've kept what we discussed: try again in a few minutes (just say \"ok\"), or contact reception at {_profile.Phone} or {_profile.Email}."));
            return;
        }

        t.Say(L(t,
            $"No pude completar eso en el sistema de reservas. ¿Probamos con otros datos? Si preferís, recepción te ayuda al {_profile.Phone}.",
            $"I couldn't complete that in the booking system. Shall we try different details? Reception can also help at {_profile.Phone}."));
    }

    /// <summary>Prices always carry the currency code; English readers get English separators.</summary>
    private string Price(TurnContext t, decimal amount, string currency) =>
        PriceFormatter.Format(amount, currency, string.Equals(t.S.Language, "en", StringComparison.Ordinal) ? "en-US" : _profile.Culture);

    private string RoomName(TurnContext t, string code) =>
        RoomTypes.FirstOrDefault(r => string.Equals(r.Code, code, StringComparison.Ordinal))?.NameFor(t.S.Language) ?? code;

    private static string FirstName(string name) => name.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? name;

    private static CultureInfo Culture(TurnContext t) => CultureInfo.GetCultureInfo(string.Equals(t.S.Language, "en", StringComparison.Ordinal) ? "en-US" : "es-AR");

    private static string ShortDate(TurnContext t, DateOnly d) => string.Equals(t.S.Language, "en", StringComparison.Ordinal)
        ? d.ToString("MMM d", Culture(t))
        : d.ToString("d/M", Culture(t));

    /// <summary>"del 11 al 13 de enero", "del 30 de diciembre al 2 de enero" / "January 11 to 13".</summary>
    private static string DateRange(TurnContext t, DateOnly a, DateOnly b)
    {
        if (string.Equals(t.S.Language, "en", StringComparison.Ordinal))
        {
            return a.Month == b.Month && a.Year == b.Year ? $"{DayMonth(t, a)} to {b.Day}" : $"{DayMonth(t, a)} to {DayMonth(t, b)}";
        }

        return a.Month == b.Month && a.Year == b.Year ? $"del {a.Day} al {DayMonth(t, b)}" : $"del {DayMonth(t, a)} al {DayMonth(t, b)}";
    }

    /// <summary>"11 de enero" / "January 11": unambiguous when dates change.</summary>
    private static string DayMonth(TurnContext t, DateOnly d) => string.Equals(t.S.Language, "en", StringComparison.Ordinal)
        ? d.ToString("MMMM d", Culture(t))
        : d.ToString("d 'de' MMMM", Culture(t));

    private static string LongDate(TurnContext t, DateOnly d) => string.Equals(t.S.Language, "en", StringComparison.Ordinal)
        ? d.ToString("dddd, MMMM d, yyyy", Culture(t))
        : d.ToString("dddd d 'de' MMMM 'de' yyyy", Culture(t));

    /// <summary>A deadline in the hotel's local time: "lunes 8 de diciembre a las 14:00".</summary>
    private static string DeadlineText(TurnContext t, DateTimeOffset at) => string.Equals(t.S.Language, "en", StringComparison.Ordinal)
        ? at.ToString("dddd, MMMM d 'at' HH:mm", Culture(t))
        : at.ToString("dddd d 'de' MMMM 'a las' HH:mm", Culture(t));

    private static string Nights(TurnContext t, int n) => n == 1 ? L(t, "1 noche", "1 night") : L(t, $"{n} noches", $"{n} nights");

    private static string Guests(TurnContext t, int n) => n == 1 ? L(t, "1 persona", "1 guest") : L(t, $"{n} personas", $"{n} guests");

    private static string Join(TurnContext t, IReadOnlyList<string> items) => items.Count switch
    {
        0 => string.Empty,
        1 => items[0],
        _ => string.Join(", ", items.Take(items.Count - 1)) + L(t, " y ", " and ") + items[^1],
    };

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..(max - 1)] + "…";
}
