using System.Text;
using HotelAgent.Core.Hotel;
using HotelAgent.Core.Messaging;
using HotelAgent.Core.Nlu;

namespace HotelAgent.Core.Dialog;

/// <summary>
/// The quoted options: questions about them are answered (price, difference, capacity, what is included) and the options
/// stay open; a choice is made by button, number, name, "la más barata", "la de 3" or "esa".
/// </summary>
public sealed partial class ReceptionistDialog
{
    private static readonly string[] CheapestWords = ["mas barata", "mas barato", "mas economica", "mas economico", "menos cara", "cheapest", "cheaper", "least expensive", "economica", "economico", "barata", "barato"];
    private static readonly string[] DearestWords = ["mas cara", "mas caro", "la mejor", "el mejor", "most expensive", "the best", "la top", "premium"];
    private static readonly string[] BiggestWords = ["mas grande", "mas amplia", "mas espaciosa", "biggest", "largest", "the big one"];
    private static readonly string[] ThatOneWords = ["esa", "esa misma", "esa dale", "dale esa", "esa porfa", "me quedo con esa", "quiero esa", "esa esta bien", "va esa", "esta", "that one", "this one", "that", "i ll take that one", "ill take that one", "la que dijiste", "esa va"];

    /// <summary>The guest answers the options: a question about them, a pick, a correction or a no.</summary>
    private async Task<bool> HandleOfferingAsync(TurnContext t)
    {
        var nlu = t.Nlu;
        var offers = t.S.Offers;
        var replyId = t.Turn.Message.ReplyId;
        if (replyId is not null && offers.FirstOrDefault(o => string.Equals(o.RoomType, replyId, StringComparison.Ordinal)) is { } pressed)
        {
            await SelectOfferAsync(t, pressed);
            return true;
        }

        var delta = ExtractStayDelta(t, nlu);
        if (DialogText.IsQuestion(t.Raw) && delta.RoomType is null && (HasDates(delta) || delta.Guests is not null) && MentionedOffers(t).Count == 0
            && !DialogText.ContainsAny(t.Norm, "entran", "caben", "fit"))
        {
            // "¿y para 3?", "¿y del 11 al 13?": a new quote, asked as a question.
            await ApplyStayCorrectionAsync(t, delta);
            return true;
        }

        // "quiero una con balcón", "busco una con cama king": a wish that tells the options apart is answered like the question
        var wantsFeature = !DialogText.IsQuestion(t.Raw) && !HasStayDelta(delta) && MentionedOffers(t).Count == 0
            && DialogText.ContainsAny(t.Norm, "con", "with", "que tenga", "que tiene", "that has", "which has", "the one with") && OffersWithFeature(t).Count > 0;
        if (wantsFeature && OffersWithFeature(t) is [var only]
            && DialogText.ContainsAny(t.Norm, "la que", "el que", "the one", "quiero esa", "me quedo con", "reservame", "dame", "i ll take", "ill take", "we ll take", "book"))
        {
            // "quiero la que tiene hidromasaje": a wish that only one option meets is a pick of that option
            await SelectOfferAsync(t, only.Offer);
            return true;
        }

        if ((DialogText.IsQuestion(t.Raw) || wantsFeature) && await AnswerOfferQuestionAsync(t))
        {
            return true;
        }

        var pick = PickOffer(t);
        if (pick is not null && !HasDates(delta) && (delta.Guests is null || delta.Guests <= pick.Capacity))
        {
            await SelectOfferAsync(t, pick);
            return true;
        }

        if (delta.RoomType is { } type && !HasDates(delta) && delta.Guests is null && offers.All(o => o.RoomType != type))
        {
            // A room that is not among the options: say why, keep the options open.
            NotAmongOffers(t, type);
            return true;
        }

        if (HasStayDelta(delta))
        {
            await ApplyStayCorrectionAsync(t, delta);
            return true;
        }

        if (IsNo(t) || DialogText.ReadYesNo(t.Raw, ConfirmAction.Generic) == YesNo.No)
        {
            t.S = t.S with { Stage = DialogStage.CollectingStay, Asked = AskedSlot.ChangeWhat };
            Ask(t, "change:booking", L(t, "Sin problema.", "No problem."), ChangeOptions(t));
            return true;
        }

        if (DialogText.IsAcknowledgement(t.Raw) || (string.Equals(nlu.Intent, NluLabels.Affirm, StringComparison.Ordinal) && nlu.Confidence >= _nlu.ClarifyThreshold))
        {
            // "ok", "dale" with several options: which one? (asked again, rephrased)
            Ask(t, "offers", options: OfferOptions(t), optionsTitle: L(t, "Ver opciones", "See options"));
            return true;
        }

        return false;
    }

    private async Task SelectOfferAsync(TurnContext t, QuotedOffer offer)
    {
        t.S = t.S with { Selected = offer, PendingWriteKey = null, FocusRoom = offer.RoomType };
        await ContinueBookingDetailsAsync(t, PickedLead(t, offer));
    }

    /// <summary>The offer the guest picked, or null: number, superlative, "la de 3", room type or name, "esa", a yes to the only one.</summary>
    private QuotedOffer? PickOffer(TurnContext t)
    {
        var offers = t.S.Offers;
        if (offers.Count == 0)
        {
            return null;
        }

        var norm = t.Norm;
        if (DialogText.ContainsAny(norm, CheapestWords))
        {
            return offers.OrderBy(o => o.TotalPrice).ThenBy(o => o.RoomType, StringComparer.Ordinal).First();
        }

        if (DialogText.ContainsAny(norm, DearestWords))
        {
            return offers.OrderByDescending(o => o.TotalPrice).ThenBy(o => o.RoomType, StringComparer.Ordinal).First();
        }

        if (DialogText.ContainsAny(norm, BiggestWords))
        {
            return offers.OrderByDescending(o => o.Capacity).ThenBy(o => o.TotalPrice).First();
        }

        // "la de 3", "la de 4 personas", "the one for 3": the room for that many people, else the third option
        if (OneForNumber(norm) is { } k)
        {
            return offers.FirstOrDefault(o => o.Capacity == k) ?? (k >= 1 && k <= offers.Count ? offers[k - 1] : null);
        }

        var n = DialogText.BareNumber(norm) ?? t.Nlu.Entities.OptionNumber;
        if (n is { } number && number >= 1 && number <= offers.Count && t.Nlu.Entities.Guests is null && t.Nlu.Entities.CheckIn is null)
        {
            return offers[number - 1];
        }

        if (t.Nlu.Entities.RoomType is { } type)
        {
            return offers.FirstOrDefault(o => string.Equals(o.RoomType, type, StringComparison.Ordinal));
        }

        foreach (var o in offers)
        {
            var name = DialogText.Normalize(OfferName(t, o));
            if (name.Length > 0 && (norm.Contains(name, StringComparison.Ordinal) || string.Equals(DialogText.Normalize(o.Name), norm, StringComparison.Ordinal)))
            {
                return o;
            }
        }

        var that = norm.Split(' ').Length <= 7 && ThatOneWords.Any(w => DialogText.ContainsAny(norm, w));
        if (that)
        {
            return t.S.FocusRoom is { } focus ? offers.FirstOrDefault(o => o.RoomType == focus) ?? (offers.Count == 1 ? offers[0] : null)
                : offers.Count == 1 ? offers[0] : null;
        }

        var answer = DialogText.ReadYesNo(t.Raw, ConfirmAction.Booking);
        if (answer == YesNo.Yes || DialogText.IsYes(norm))
        {
            if (offers.Count == 1)
            {
                return offers[0];
            }

            // "dale" after asking about one option ("¿y la doble qué incluye?" → "dale") takes that one.
            return t.S.FocusRoom is { } focus2 ? offers.FirstOrDefault(o => o.RoomType == focus2) : null;
        }

        return null;
    }

    private static int? OneForNumber(string norm)
    {
        var words = norm.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i + 2 < words.Length + 1; i++)
        {
            if (i + 1 < words.Length && words[i] is "la" or "el" && words[i + 1] is "de" or "para" && i + 2 < words.Length
                && DialogText.BareNumber(words[i + 2]) is { } n)
            {
                return n;
            }

            if (i + 3 < words.Length && words[i] == "the" && words[i + 1] == "one" && words[i + 2] == "for" && DialogText.BareNumber(words[i + 3]) is { } m)
            {
                return m;
            }
        }

        return null;
    }

    private void NotAmongOffers(TurnContext t, string type)
    {
        var room = RoomTypes.FirstOrDefault(r => r.Code == type);
        var name = room?.NameFor(t.S.Language) ?? type;
        var reason = room is not null && t.S.Stay.Guests is { } g && room.Capacity < g
            ? L(t, $"La {name} es para hasta {Guests(t, room.Capacity)}, así que para {Guests(t, g)} no entra.", $"The {name} holds up to {Guests(t, room.Capacity)}, so it doesn't fit {Guests(t, g)}.")
            : L(t, $"La {name} no tiene lugar para esas fechas.", $"The {name} isn't available for those dates.");
        t.S = t.S with { FocusRoom = null };
        Ask(t, "offers", reason + L(t, " Las opciones que tengo son las de arriba.", " The options I have are the ones above."), OfferOptions(t), L(t, "Ver opciones", "See options"));
    }

    /// <summary>
    /// "¿cuánto sale la doble?", "¿qué diferencia hay entre la ejecutiva y la doble?", "¿entran 3 en la doble?", "¿qué incluye la
    /// suite?", "¿cuál es la más barata?": answered from the quoted offers and the profile; the options stay open.
    /// </summary>
    private async Task<bool> AnswerOfferQuestionAsync(TurnContext t)
    {
        var offers = t.S.Offers;
        var norm = t.Norm;
        var mentioned = MentionedOffers(t);
        var e = t.Nlu.Entities;

        // Hotel facts asked while choosing (breakfast, the jacuzzi of the suite, "¿los chicos pagan?", where we are) are answered as such.
        var priceWords = DialogText.ContainsAny(norm, "cuanto*", "precio*", "sale", "cuesta", "how much", "price");
        if (e.Amenities.Count > 0 || MatchFact(t) is not null
            || (mentioned.Count == 0 && !priceWords && PolicyTopics(t, t.Nlu).Any(x => x is not ("times" or "general")))
            || (mentioned.Count == 0 && DialogText.ContainsAny(norm, LocationWords)))
        {
            if (await AnswerHotelQuestionAsync(t))
            {
                return true;
            }
        }

        string? answer = null;
        if (DialogText.ContainsAny(norm, "diferencia*", "difference", "differ*", "compar*", "vs", "versus", "conviene", "recomenda*", "recomienda*", "better", "recommend*")
            || (mentioned.Count >= 2 && DialogText.ContainsAny(norm, "o la", "or the")))
        {
            var pair = mentioned.Count >= 2 ? mentioned.Take(2).ToList() : mentioned.Count == 1 ? [mentioned[0]] : offers.Take(2).ToList();
            answer = string.Join('\n', pair.Select(o => DescribeOffer(t, o)));
            if (pair.Count == 2)
            {
                var cheaper = pair.OrderBy(o => o.TotalPrice).First();
                var dearer = pair.OrderByDescending(o => o.TotalPrice).First();
                if (cheaper != dearer)
                {
                    answer += "\n" + L(t, $"La {OfferName(t, dearer)} sale {Price(t, dearer.TotalPrice - cheaper.TotalPrice, dearer.Currency)} más en total.",
                        $"The {OfferName(t, dearer)} costs {Price(t, dearer.TotalPrice - cheaper.TotalPrice, dearer.Currency)} more in total.");
                }
            }
        }
        else if (DialogText.ContainsAny(norm, CheapestWords) || DialogText.ContainsAny(norm, DearestWords) || DialogText.ContainsAny(norm, BiggestWords))
        {
            var o = DialogText.ContainsAny(norm, CheapestWords) ? offers.OrderBy(x => x.TotalPrice).First()
                : DialogText.ContainsAny(norm, DearestWords) ? offers.OrderByDescending(x => x.TotalPrice).First()
                : offers.OrderByDescending(x => x.Capacity).First();
            mentioned = [o];
            answer = L(t, $"Es la {OfferName(t, o)}: {Price(t, o.NightlyRate, o.Currency)} por noche, total {Price(t, o.TotalPrice, o.Currency)}.",
                $"That's the {OfferName(t, o)}: {Price(t, o.NightlyRate, o.Currency)} per night, total {Price(t, o.TotalPrice, o.Currency)}.");
        }
        else if (DialogText.ContainsAny(norm, "entran", "entramos", "caben", "cabemos", "capacidad", "cuantas personas", "cuantos", "para cuantos", "fit", "how many people", "how many guests", "sleeps", "duermen"))
        {
            var who = mentioned.Count > 0 ? mentioned : offers.ToList();
            var asked = GuestsSaid(t, e.Guests);
            answer = string.Join('\n', who.Select(o =>
                asked is { } g
                    ? (o.Capacity >= g
                        ? L(t, $"Sí, en la {OfferName(t, o)} entran {g} (es para hasta {Guests(t, o.Capacity)}).", $"Yes, {g} fit in the {OfferName(t, o)} (it holds up to {Guests(t, o.Capacity)}).")
                        : L(t, $"No, la {OfferName(t, o)} es para hasta {Guests(t, o.Capacity)}.", $"No, the {OfferName(t, o)} holds up to {Guests(t, o.Capacity)}."))
                    : L(t, $"{OfferName(t, o)}: hasta {Guests(t, o.Capacity)}.", $"{OfferName(t, o)}: up to {Guests(t, o.Capacity)}.")));
        }
        else if (DialogText.ContainsAny(norm, "incluye*", "incluido", "incluida", "trae", "viene con", "tiene", "include*", "included", "come with", "comes with", "how is", "como es", "describ*", "detalle*", "cama*", "bed*"))
        {
            var who = mentioned.Count > 0 ? mentioned : offers.Count == 1 ? offers.ToList() : [];
            answer = who.Count == 0 ? null : string.Join('\n', who.Select(o => DescribeOffer(t, o)));
            if (answer is null && OffersWithFeature(t) is { Count: > 0 } withIt)
            {
                mentioned = withIt.Select(h => h.Offer).ToList();
                answer = string.Join('\n', withIt.Select(h => L(t, $"La {OfferName(t, h.Offer)}: {h.Text}", $"The {OfferName(t, h.Offer)}: {h.Text}")));
            }
        }
        else if (DialogText.ContainsAny(norm, "cuanto*", "precio*", "sale", "cuesta", "cuestan", "vale", "valor", "tarifa", "how much", "price", "cost*", "rate"))
        {
            var who = mentioned.Count > 0 ? mentioned : offers.ToList();
            answer = string.Join('\n', who.Select(o => L(t, $"{OfferName(t, o)}: {Price(t, o.NightlyRate, o.Currency)} por noche, total {Price(t, o.TotalPrice, o.Currency)} por las {Nights(t, o.Nights)}.",
                $"{OfferName(t, o)}: {Price(t, o.NightlyRate, o.Currency)} per night, total {Price(t, o.TotalPrice, o.Currency)} for {Nights(t, o.Nights)}.")));
            if (mentioned.Count == 0 && e.RoomType is { } notOffered)
            {
                NotAmongOffers(t, notOffered);
                return true;
            }
        }
        else if (mentioned.Count == 1)
        {
            answer = DescribeOffer(t, mentioned[0]);
        }
        else if (e.RoomType is { } missing && mentioned.Count == 0)
        {
            NotAmongOffers(t, missing);
            return true;
        }
        else if (OffersWithFeature(t) is { Count: > 0 } having)
        {
            // "¿cuál tiene balcón?", "which one has a desk?": found in the rooms' own descriptions
            mentioned = having.Select(h => h.Offer).ToList();
            answer = string.Join('\n', having.Select(h => L(t, $"La {OfferName(t, h.Offer)}: {h.Text}", $"The {OfferName(t, h.Offer)}: {h.Text}")));
        }

        if (answer is null)
        {
            // A question about the options we cannot answer from the profile: honest, and the options stay open.
            if (await UnknownAnswerAsync(t) is { } unknown)
            {
                AnswerThenAskAgain(t, unknown);
            }

            return true;
        }

        Touch(t);
        t.S = t.S with { FocusRoom = mentioned.Count == 1 ? mentioned[0].RoomType : t.S.FocusRoom };
        var follow = mentioned.Count == 1
            ? L(t, $"¿Te reservo la {OfferName(t, mentioned[0])} o preferís otra?", $"Shall I book the {OfferName(t, mentioned[0])}, or would you prefer another one?")
            : null;
        if (follow is not null)
        {
            t.Say(new Reply(answer + "\n" + follow) { Options = OfferOptions(t), OptionsTitle = L(t, "Ver opciones", "See options") });
            t.AskedThisTurn = "offers";
            t.S = t.S with { QuestionKey = "offers", QuestionTimes = 0 };
            return true;
        }

        t.Say(new Reply(answer + "\n" + L(t, "¿Cuál te reservo?", "Which one should I book?")) { Options = OfferOptions(t), OptionsTitle = L(t, "Ver opciones", "See options") });
        t.AskedThisTurn = "offers";
        t.S = t.S with { QuestionKey = "offers", QuestionTimes = 0 };
        return true;
    }

    private static readonly HashSet<string> FeatureStopWords = new(StringComparer.Ordinal)
    {
        "cual", "cuales", "que", "tiene", "tienen", "tenga", "habitacion", "habitaciones", "la", "el", "las", "los", "de", "con", "una", "un",
        "hay", "alguna", "which", "one", "has", "have", "does", "the", "room", "rooms", "with", "any", "a", "is", "there", "of", "them",
        "y", "o", "or", "and", "para", "en", "in", "trae", "traen", "viene", "come", "comes",
        // "¿hay alguna con cama king?": every room has a bed; the word that tells them apart is "king"
        "cama", "camas", "bed", "beds", "quiero", "queremos", "busco", "buscamos", "want", "looking", "anything", "something", "algo",
        "preferimos", "prefiero", "prefer", "would", "like", "please", "porfa",
    };

    /// <summary>The offers whose profile description or features mention what the guest asks for ("balcón", "desk").</summary>
    private List<(QuotedOffer Offer, string Text)> OffersWithFeature(TurnContext t)
    {
        var wanted = t.Norm.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Where(w => w.Length >= 4 && !FeatureStopWords.Contains(w) && !w.Any(char.IsAsciiDigit))
            .Select(w => w.Length > 5 ? w[..5] : w) // "balcon"/"balcony", "escritorio"/"escritorios"
            .ToArray();
        var found = new List<(QuotedOffer, string)>();
        if (wanted.Length == 0)
        {
            return found;
        }

        foreach (var o in t.S.Offers)
        {
            if (RoomTypes.FirstOrDefault(r => r.Code == o.RoomType) is not { } room)
            {
                continue;
            }

            var text = (room.DescriptionFor(t.S.Language) + FeaturesSentence(t, room)).Trim();
            var haystack = " " + DialogText.Normalize(room.Description + " " + room.DescriptionFor("en") + " " + string.Join(" ", room.Features.Select(f => f.Text + " " + f.TextFor("en"))));
            if (wanted.Any(w => haystack.Contains(" " + w, StringComparison.Ordinal)))
            {
                found.Add((o, text));
            }
        }

        // words every option matches do not tell them apart ("baño", "desayuno"): no answer from them
        return found.Count == t.S.Offers.Count && found.Count > 1 ? [] : found;
    }

    /// <summary>The quoted offers named in the message, in the order mentioned (room types, names, "la 2").</summary>
    private List<QuotedOffer> MentionedOffers(TurnContext t)
    {
        var found = new List<(int At, QuotedOffer Offer)>();
        var norm = " " + t.Norm + " ";
        foreach (var o in t.S.Offers)
        {
            var room = RoomTypes.FirstOrDefault(r => r.Code == o.RoomType);
            var words = new List<string> { o.RoomType, DialogText.Normalize(OfferName(t, o)) };
            if (room is not null)
            {
                words.Add(DialogText.Normalize(room.Name));
                words.Add(DialogText.Normalize(room.NameFor("en")));
            }

            words.AddRange(RoomWords(o.RoomType));
            var at = words.Where(w => w.Length > 0).Select(w => norm.IndexOf(" " + w + " ", StringComparison.Ordinal)).Where(i => i >= 0).DefaultIfEmpty(-1).Min();
            if (at >= 0)
            {
                found.Add((at, o));
            }
        }

        if (found.Count == 0 && OneForNumber(t.Norm) is { } k
            && (t.S.Offers.FirstOrDefault(o => o.Capacity == k) ?? (k >= 1 && k <= t.S.Offers.Count ? t.S.Offers[k - 1] : null)) is { } forK)
        {
            return [forK]; // "¿la de 3 incluye desayuno?": the room for 3 (else the third option), as a pick reads it
        }

        if (found.Count == 0 && t.Nlu.Entities.OptionNumber is { } n && n >= 1 && n <= t.S.Offers.Count)
        {
            return [t.S.Offers[n - 1]];
        }

        return found.OrderBy(f => f.At).Select(f => f.Offer).ToList();
    }

    /// <summary>
    /// While offers are open, a message about exactly one of them puts it in focus whichever path answers it (an amenity
    /// question such as "¿la de 3 incluye desayuno?" is answered from the profile), so a following "esa" or "dale" takes it.
    /// </summary>
    private void FocusMentionedOffer(TurnContext t)
    {
        if (t.S.Stage == DialogStage.OfferingRooms && t.S.Offers.Count > 1 && MentionedOffers(t) is { Count: 1 } one)
        {
            t.S = t.S with { FocusRoom = one[0].RoomType };
        }
    }

    private static string[] RoomWords(string code) => code switch
    {
        "simple" => ["single", "individual", "sencilla"],
        "doble" => ["double", "matrimonial", "twin", "dobles"],
        "triple" => ["triples"],
        "familiar" => ["family", "familiares"],
        "suite" => ["suit", "suites"],
        "ejecutiva" => ["executive", "ejecutivo"],
        _ => [],
    };

    /// <summary>What an option is: description, capacity, what it includes, its price.</summary>
    private string DescribeOffer(TurnContext t, QuotedOffer o)
    {
        var room = RoomTypes.FirstOrDefault(r => r.Code == o.RoomType);
        var sb = new StringBuilder(OfferName(t, o)).Append(": ");
        if (room is not null)
        {
            sb.Append(room.DescriptionFor(t.S.Language)).Append(' ');
        }

        sb.Append(L(t, $"Para hasta {Guests(t, o.Capacity)}.", $"Up to {Guests(t, o.Capacity)}."));
        if (room is not null)
        {
            sb.Append(FeaturesSentence(t, room));
        }

        var inc = OfferIncludes(t, o);
        if (inc.Count > 0)
        {
            sb.Append(L(t, $" Incluye {Join(t, inc)}.", $" Includes {Join(t, inc)}."));
        }

        sb.Append(L(t, $" {Price(t, o.NightlyRate, o.Currency)} por noche, total {Price(t, o.TotalPrice, o.Currency)}.",
            $" {Price(t, o.NightlyRate, o.Currency)} per night, total {Price(t, o.TotalPrice, o.Currency)}."));
        return sb.ToString();
    }

    /// <summary>A room of the profile described (no price: outside a quote there is no real price for dates).</summary>
    private string DescribeRoom(TurnContext t, RoomTypeProfile room)
    {
        var inc = room.IncludesFor(t.S.Language);
        return room.NameFor(t.S.Language) + ": " + room.DescriptionFor(t.S.Language)
            + L(t, $" Para hasta {Guests(t, room.Capacity)}.", $" Up to {Guests(t, room.Capacity)}.")
            + FeaturesSentence(t, room)
            + (inc.Count > 0 ? L(t, $" Incluye {Join(t, inc)}.", $" Includes {Join(t, inc)}.") : string.Empty);
    }

    private static string FeaturesSentence(TurnContext t, RoomTypeProfile room) => room.Features.Count == 0
        ? string.Empty
        : L(t, $" Tiene {Join(t, room.Features.Select(f => f.TextFor("es")).ToArray())}.", $" It has {Join(t, room.Features.Select(f => f.TextFor("en")).ToArray())}.");
}
