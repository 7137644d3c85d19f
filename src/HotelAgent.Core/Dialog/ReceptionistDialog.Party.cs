using System.Globalization;
using System.Text;
using HotelAgent.Core.Nlu;

namespace HotelAgent.Core.Dialog;

/// <summary>
/// Who is travelling: adults, children (with ages when given) and infants. Infants (under the hotel profile's
/// <c>policies.infantsUnderAge</c>) share the parents' bed, stay free and do not count toward room capacity; children count as
/// guests. A child of unknown age counts until the guest says otherwise, and the guest is told once when the age matters.
/// </summary>
public sealed partial class ReceptionistDialog
{
    /// <summary>A parenthesis of ages: "(3 y 10)", "(4 and 7)", "(8 y 11 años)".</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"\(\s*\d{1,2}(\s*(,|y|e|and|&)\s*\d{1,2})*\s*(años|anos|años de edad|years?|yrs?|meses|months?)?\s*\)", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex AgesInParentheses();

    /// <summary>Children under this age (years) are infants; from the hotel profile, not from code.</summary>
    private int InfantAge => Math.Clamp(_profile.Policies.InfantsUnderAge, 0, 17);

    /// <summary>The stay delta with the party the message describes: the guests are the party's guests (infants left out).</summary>
    private StaySlots ExtractStayDelta(TurnContext t, NluResult nlu) => WithParty(t, ExtractStaySlots(t, nlu));

    private StaySlots WithParty(TurnContext t, StaySlots d)
    {
        var limit = InfantAge;
        var current = t.S.Stay.Party;
        var party = t.SaidParty;
        if (party is not null && t.Raw.Contains('(', StringComparison.Ordinal) && (d.CheckIn is not null || d.CheckOut is not null)
            && AgesInParentheses().Replace(t.Raw, " ") is var withoutAges && withoutAges != t.Raw)
        {
            // "my 2 kids (4 and 7), jan 10-12": the ages are not days ("7 jan" to the 10th); the dates are read without them.
            var (ci, co, n) = EntityExtractor.ExtractStay(withoutAges, t.Turn.Today, t.S.Stay.CheckIn ?? t.S.PendingChange?.CheckIn ?? t.S.Target?.CheckIn);
            if (ci is not null || co is not null)
            {
                d = d with { CheckIn = ci, CheckOut = co, Nights = n ?? (ci is { } a && co is { } b ? b.DayNumber - a.DayNumber : d.Nights) };
            }
        }

        if (party is not null)
        {
            if (party.Adults is null)
            {
                // "tenemos un bebé" names the children only: the NLU's count then is the children, not the party.
                var adults = d.Guests is { } n && n > party.Children.Count ? n - party.Children.Count
                    : party.Children.All(c => c.IsInfant(limit)) && current is null && t.S.Stay.Guests is { } earlier ? earlier
                    : (int?)null;
                party = party with { Adults = adults };
            }

            return party.Adults is null ? d with { Party = party, Guests = null } : d with { Party = party, Guests = party.Guests(limit) };
        }

        if (current is { Adults: null } && d.Guests is { } count && count > 0)
        {
            // The adults after children were named: "2" (or "somos 3 adultos") completes the party.
            var adultsSaid = DialogText.ContainsAny(t.Norm, "adulto*", "adult*", "mayores", "grandes");
            var adults = adultsSaid || current.Children.All(c => c.IsInfant(limit)) || count <= current.Children.Count ? count : count - current.Children.Count;
            var completed = current with { Adults = adults };
            return d with { Party = completed, Guests = completed.Guests(limit) };
        }

        return d;
    }

    /// <summary>
    /// "tiene 2 años", "el nene tiene 8 meses", "5 y 8", "es un bebé" after children of unknown age were named: the ages are
    /// filled in, and the stay is quoted again when an infant no longer takes a bed.
    /// </summary>
    private async Task<bool> HandleChildAgesAsync(TurnContext t)
    {
        if (t.S.Stage is not (DialogStage.CollectingStay or DialogStage.OfferingRooms) || t.S.Stay.Party is not { } p || p.UnknownAges == 0
            || t.Nlu.Entities.CheckIn is not null || t.Nlu.Entities.CheckOut is not null || t.Nlu.Entities.Nights is not null
            || t.Turn.Message.ReplyId is not null)
        {
            return false;
        }

        var said = t.SaidParty;
        if (said is { Adults: not null })
        {
            return false;   // a whole new party: the ordinary correction path reads it
        }

        var ages = said is not null && said.Children.All(c => !c.AgeUnknown) ? said.Children : PartyExtractor.Ages(t.Raw);
        if (ages.Count == 0)
        {
            return false;
        }

        var queue = new Queue<PartyChild>(ages);
        var children = p.Children.Select(c => c.AgeUnknown && queue.Count > 0 ? queue.Dequeue() : c).ToList();
        var party = p with { Children = children };
        var limit = InfantAge;
        var stay = t.S.Stay with { Party = party, Guests = party.Guests(limit) ?? t.S.Stay.Guests, AgesAsked = true };
        var changed = stay.Guests != t.S.Stay.Guests;
        t.S = t.S with { Stay = stay };
        Touch(t);
        if (t.S.Stage == DialogStage.OfferingRooms && !changed)
        {
            // Nothing changes in the offers: say so and keep them open (a new question, not the same one again).
            t.S = t.S with { QuestionKey = null };
            Ask(t, "offers", L(t, $"¡Gracias! Anoté {PartyText(t, stay)}; las opciones siguen en pie.", $"Thanks! I've noted {PartyText(t, stay)}; the options still stand."),
                OfferOptions(t), L(t, "Ver opciones", "See options"));
            return true;
        }

        t.S = t.S with { Stage = DialogStage.CollectingStay, Selected = null };
        await AdvanceStayAsync(t);
        return true;
    }

    /// <summary>
    /// The guests a capacity question names ("¿entramos 2 adultos y un bebé en la doble?" is 2; "¿entra un bebé en la doble?"
    /// with a party of 2 on the table is 2): infants do not take a bed.
    /// </summary>
    private int? GuestsSaid(TurnContext t, int? nluGuests) =>
        t.SaidParty is null ? nluGuests : WithParty(t, new StaySlots { Guests = nluGuests }).Guests ?? nluGuests;

    /// <summary>
    /// "no necesitamos cuna" / "we'll bring our own crib" while booking is kept (and read back at the summary) instead of being
    /// read as a no to the booking; a crib asked for ("¿nos ponen una cuna?") is noted for staff and the question answered as usual.
    /// </summary>
    private bool HandleCribWish(TurnContext t, out bool declined)
    {
        declined = false;
        if (!InBookingFlow(t.S.Stage) || t.Turn.Message.ReplyId is not null
            || !DialogText.ContainsAny(t.Norm, "cuna", "cunas", "cunita", "crib", "cribs", "cot", "cots"))
        {
            return false;
        }

        declined = DialogText.ContainsAny(t.Norm, "no necesit*", "no hace falta", "sin cuna", "no quer*", "no la necesit*", "no need*",
            "dont need", "don t need", "do not need", "no crib", "without a crib", "llevamos", "traemos", "llevo", "traigo", "bring our own",
            "bring my own", "our own", "nuestra cuna", "propia");
        t.S = t.S with { Stay = t.S.Stay with { NoCrib = declined, CribWanted = !declined } };
        return true;
    }

    private bool HandleCribDeclined(TurnContext t)
    {
        if (!HandleCribWish(t, out var declined) || !declined)
        {
            return false;
        }

        var lead = L(t, "Anotado: sin cuna.", "Noted: no crib.");
        if (t.S.Stage == DialogStage.ConfirmingBooking && t.S.Selected is not null)
        {
            ShowBookingSummary(t, lead);
        }
        else if (!AskPendingAgain(t, lead))
        {
            t.Say(lead);
        }

        return true;
    }

    /// <summary>
    /// Said once per stay when children of unknown age decide which rooms fit: with them under the infant age a smaller room
    /// would do (or the party would fit at all).
    /// </summary>
    private string? AgesHint(TurnContext t, StaySlots s)
    {
        if (s.AgesAsked || s.Party is not { } p || p.UnknownAges == 0 || s.Guests is not { } g)
        {
            return null;
        }

        var without = g - p.UnknownAges;
        if (!RoomTypes.Any(r => r.Capacity >= without && r.Capacity < g))
        {
            return null;
        }

        t.S = t.S with { Stay = t.S.Stay with { AgesAsked = true } };
        var one = p.UnknownAges == 1;
        var limit = InfantAge;
        return one
            ? L(t, $"Conté al menor como huésped; si tiene menos de {limit} años no ocupa cama (duerme con ustedes, cuna sin cargo): decime su edad y ajusto las opciones.",
                $"I've counted the child as a guest; under {limit} they don't take a bed (they sleep with you, free crib): tell me their age and I'll adjust the options.")
            : L(t, $"Conté a los chicos como huéspedes; los menores de {limit} años no ocupan cama (duermen con ustedes, cuna sin cargo): decime las edades y ajusto las opciones.",
                $"I've counted the children as guests; under-{limit}s don't take a bed (they sleep with you, free crib): tell me their ages and I'll adjust the options.");
    }

    /// <summary>The party the way the guest said it ("2 adultos y un bebé (cuna sin cargo)"), or "3 personas" for a plain count.</summary>
    private string PartyText(TurnContext t, StaySlots s)
    {
        if (s.Party is not { Adults: { } adults } p || p.Children.Count == 0)
        {
            return Guests(t, s.Guests ?? 0);
        }

        var limit = InfantAge;
        var parts = new List<string>();
        if (adults > 0)
        {
            parts.Add(adults == 1 ? L(t, "1 adulto", "1 adult") : L(t, $"{adults} adultos", $"{adults} adults"));
        }

        var kids = p.Children.Where(c => !c.IsInfant(limit)).ToList();
        if (kids.Count > 0)
        {
            var text = kids.Count == 1 ? L(t, "1 niño", "1 child") : L(t, $"{kids.Count} niños", $"{kids.Count} children");
            if (kids.All(c => c.AgeMonths is not null))
            {
                var ages = kids.Select(c => (c.AgeMonths!.Value / 12).ToString(CultureInfo.InvariantCulture)).ToList();
                text += L(t, $" ({Join(t, ages)} {(kids.Count == 1 && ages[0] == "1" ? "año" : "años")})", $" (aged {Join(t, ages)})");
            }

            parts.Add(text);
        }

        var infants = p.Infants(limit);
        if (infants > 0)
        {
            parts.Add(s.NoCrib
                ? (infants == 1 ? L(t, "un bebé (sin cuna)", "a baby (no crib)") : L(t, $"{infants} bebés (sin cuna)", $"{infants} babies (no crib)"))
                : infants == 1 ? L(t, "un bebé (cuna sin cargo)", "a baby (free crib)") : L(t, $"{infants} bebés (cunas sin cargo)", $"{infants} babies (free cribs)"));
        }

        return Join(t, parts);
    }

    /// <summary>What the hotel should know about the party, for the booking (in the hotel's language): who travels and the cribs.</summary>
    private string? StaffNote(StaySlots s)
    {
        if (s.Party is not { Adults: { } adults } p || p.Children.Count == 0)
        {
            return s.CribWanted ? "Pidió cuna (sin cargo)." : null;
        }

        var limit = InfantAge;
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"Viajan {adults} adulto{(adults == 1 ? string.Empty : "s")}");
        foreach (var c in p.Children)
        {
            var age = c.AgeMonths is { } m ? (m < 24 ? $"{m} meses" : $"{m / 12} años") : c.Baby ? $"menor de {limit} años" : "edad sin informar";
            sb.Append(c.IsInfant(limit) ? ", bebé (" : ", niño (").Append(age).Append(')');
        }

        sb.Append('.');
        var infants = p.Infants(limit);
        if (s.NoCrib && infants > 0)
        {
            sb.Append(" Sin cuna (no la necesitan).");
        }
        else if (infants > 0 || s.CribWanted)
        {
            sb.Append(CultureInfo.InvariantCulture, $" Cuna: {Math.Max(1, infants)} (sin cargo, menores de {limit} años).");
        }

        return sb.ToString();
    }
}
