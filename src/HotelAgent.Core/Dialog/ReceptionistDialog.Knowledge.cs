using System.Text;
using HotelAgent.Core.Hotel;
using HotelAgent.Core.Nlu;

namespace HotelAgent.Core.Dialog;

/// <summary>
/// Hotel questions answered from the <see cref="HotelProfile"/> only, in the guest's language, at any point of any flow
/// (the flow's question follows the answer). Anything the profile does not say gets an honest "no tengo ese dato", the hotel's
/// contact, and a notice to staff.
/// </summary>
public sealed partial class ReceptionistDialog
{
    private static readonly string[] GenericAmenityWords =
    [
        "servicios", "servicio", "amenities", "amenidades", "comodidades", "instalaciones", "facilities", "services", "que tienen",
        "que ofrecen", "what do you have", "what do you offer", "incluye el hotel",
    ];

    private static readonly string[] QuestionStarts =
    [
        "tienen", "tenes", "tenés", "hay", "se puede", "puedo", "ofrecen", "cuentan con", "do you", "is there", "are there", "can i", "can we",
        "does the", "cual", "cuanto", "donde", "que", "what", "where", "how",
    ];

    private void Greet(TurnContext t)
    {
        var name = t.S.GuestName ?? t.Turn.Message.DisplayName;
        var first = name is null ? string.Empty : ", " + FirstName(name);
        if (t.S.TopicsAnswered.Contains("greeting", StringComparer.Ordinal))
        {
            t.Say(WithPending(t, L(t, $"¡Hola de nuevo{first}! ¿En qué te ayudo?", $"Hi again{first}! How can I help?")));
            return;
        }

        Answered(t, "greeting");
        t.Say(WithPending(t, L(t,
            $"¡Hola{first}! 👋 Soy el asistente virtual del {_profile.Name}. Puedo consultar disponibilidad y precios, hacer, cambiar o cancelar tu reserva, y contarte todo sobre el hotel. ¿En qué te ayudo?",
            $"Hi{first}! 👋 I'm the virtual assistant of {_profile.Name}. I can check availability and prices, make, change or cancel your booking, and tell you all about the hotel. How can I help?")));
    }

    private void Help(TurnContext t) => t.Say(WithPending(t, L(t,
        "Te puedo ayudar con:\n• Disponibilidad y precios para tus fechas\n• Hacer una reserva, consultarla, cambiarla o cancelarla\n• Habitaciones, servicios, ubicación y políticas del hotel\nSi preferís hablar con una persona, escribí \"recepción\".",
        "I can help you with:\n• Availability and prices for your dates\n• Making, checking, changing or cancelling a booking\n• Rooms, amenities, location and hotel policies\nIf you'd rather talk to a person, just write \"reception\".")));

    /// <summary>True (and the topic recorded) when it was already answered in this conversation: answer shorter this time.</summary>
    private static bool Answered(TurnContext t, string topic)
    {
        if (t.S.TopicsAnswered.Contains(topic, StringComparer.Ordinal))
        {
            return true;
        }

        t.S = t.S with { TopicsAnswered = [.. t.S.TopicsAnswered.TakeLast(15), topic] };
        return false;
    }

    /// <summary>
    /// A hotel question asked while a flow waits (or a fact the NLU has no intent for, at any time): answered, and the flow's
    /// question follows. Stay facts in the same message are left to the flow.
    /// </summary>
    private async Task<bool> HandleSideQuestionAsync(TurnContext t)
    {
        var stage = t.S.Stage;
        if (stage is DialogStage.OfferingRooms or DialogStage.Clarifying or DialogStage.ConfirmingBooking or DialogStage.ConfirmingCancellation
            or DialogStage.ConfirmingModification || t.Turn.Message.ReplyId is not null)
        {
            return false;
        }

        if (t.S.Asked == AskedSlot.ConfirmName && DialogText.YesBeforeQuestion(t.Raw, ConfirmAction.Generic) is not null)
        {
            // "sí porfa. ¿a qué hora se puede entrar?": the guest details step takes the yes and answers the question
            return false;
        }

        var nlu = t.Nlu;
        var fact = MatchFact(t);
        var question = DialogText.IsQuestion(t.Raw) || (nlu.Intent is NluLabels.AskAmenities or NluLabels.AskLocation or NluLabels.AskPolicies
            && nlu.Confidence >= _nlu.ClarifyThreshold);
        if (stage == DialogStage.Idle)
        {
            // Facts have no intent of their own; "tienen traslado? cuánto sale?" is about the amenity, not a stay.
            if (fact is not null && question && !HasDates(ExtractStayDelta(t, nlu)))
            {
                return await AnswerHotelQuestionAsync(t);
            }

            if (nlu.Entities.Amenities.Count > 0 && question && !HasDates(ExtractStayDelta(t, nlu))
                && nlu.Intent is NluLabels.AskPrice or NluLabels.CheckAvailability or NluLabels.MakeReservation or NluLabels.OutOfScope or NluLabels.AskRoomTypes)
            {
                await AnswerAmenitiesAsync(t, nlu);
                return true;
            }

            // Where we are, asked any way ("¿y desde aeroparque cuánto tardo?").
            if (question && DialogText.ContainsAny(t.Norm, LocationWords) && !HasDates(ExtractStayDelta(t, nlu))
                && nlu.Intent is not (NluLabels.CancelReservation or NluLabels.ModifyReservation or NluLabels.CheckReservation)
                && nlu.Entities.Guests is null)
            {
                AnswerLocation(t);
                return true;
            }

            // A policy question the classifier was unsure about ("are children allowed? we have a 2 year old").
            if (question && nlu.Confidence < _nlu.ActThreshold && !HasDates(ExtractStayDelta(t, nlu))
                && PolicyTopics(t, nlu).Any(x => x is "children" or "pets" or "payment" or "smoking" or "cancellation"))
            {
                return await AnswerHotelQuestionAsync(t);
            }

            return false;
        }

        if (!question && fact is null)
        {
            return false;
        }

        var delta = ExtractStayDelta(t, nlu);
        // "¿y en la triple entraría uno de los chicos en un colchón?": a question about a room is not a choice of that room
        var onlyAboutARoom = question && delta.RoomType is not null && !HasDates(delta) && delta.Guests is null;
        if (HasStayDelta(delta) && nlu.Entities.Amenities.Count == 0 && fact is null && !onlyAboutARoom)
        {
            return false;
        }

        var hotelTopic = fact is not null || nlu.Entities.Amenities.Count > 0 || DialogText.ContainsAny(t.Norm, LocationWords)
            || PolicyTopics(t, nlu).Count > 0 || nlu.Intent is NluLabels.AskAmenities or NluLabels.AskLocation or NluLabels.AskPolicies or NluLabels.AskRoomTypes;
        return hotelTopic && await AnswerHotelQuestionAsync(t);
    }

    /// <summary>Answers a hotel question from the profile (and the flow's question after it). False when there is nothing to say.</summary>
    private async Task<bool> AnswerHotelQuestionAsync(TurnContext t, bool withPending = true, bool countUnknown = false)
    {
        var answer = await HotelAnswerTextAsync(t, countUnknown);
        if (answer is null)
        {
            return false;
        }

        if (t.S.HandedOff)
        {
            return true;
        }

        if (withPending && PendingKey(t) is not null)
        {
            AnswerThenAskAgain(t, answer);
        }
        else
        {
            t.Say(answer);
        }

        return true;
    }

    /// <summary>
    /// The answer to a hotel question from the profile, every topic of the message together ("¿aceptan perros? ¿y cómo se
    /// paga?"): facts, amenities (a room's own features first), rooms, policies, location. Null when there is nothing to say;
    /// with <paramref name="countUnknown"/>, an honest "no tengo ese dato" (staff are told).
    /// </summary>
    private async Task<string?> HotelAnswerTextAsync(TurnContext t, bool countUnknown = false)
    {
        var nlu = t.Nlu;
        var parts = new List<string>();
        if (MatchFact(t) is { } fact)
        {
            var text = fact.AnswerFor(t.S.Language);
            parts.Add(Answered(t, "fact:" + fact.Topic) ? L(t, "Como te conté: ", "As I mentioned: ") + LowerFirst(text) : text);
        }

        var topics = PolicyTopics(t, nlu);
        var amenities = nlu.Entities.Amenities.Where(a => !(a == "mascotas" && topics.Contains("pets"))).ToArray();
        if (amenities.Length > 0)
        {
            parts.Add(await AmenitiesAnswerAsync(t, nlu, amenities));
        }
        else if (nlu.Entities.RoomType is not null && parts.Count == 0 && (DialogText.IsQuestion(t.Raw) || nlu.Intent == NluLabels.AskRoomTypes))
        {
            return RoomTypesAnswer(t, nlu);
        }

        var asksPolicy = nlu.Intent == NluLabels.AskPolicies || DialogText.IsQuestion(t.Raw) || nlu.Entities.Amenities.Contains("mascotas");
        var asksTime = DialogText.ContainsAny(t.Norm, "a que hora", "que hora", "horario*", "what time", "when is", "hora de");
        if (topics.Count > 0 && asksPolicy && !(parts.Count > 0 && !asksTime && topics.All(x => x is "times" or "general")))
        {
            parts.Add(PoliciesAnswer(t, nlu, topics));
        }

        if (parts.Count == 0 && (nlu.Intent == NluLabels.AskLocation || DialogText.ContainsAny(t.Norm, LocationWords) && DialogText.IsQuestion(t.Raw)))
        {
            return LocationAnswer(t);
        }

        if (parts.Count > 0)
        {
            return string.Join('\n', parts);
        }

        if (nlu.Intent == NluLabels.AskRoomTypes && nlu.Confidence >= _nlu.ClarifyThreshold)
        {
            return RoomTypesAnswer(t, nlu);
        }

        return countUnknown ? await UnknownAnswerAsync(t) : null;
    }

    /// <summary>The profile fact whose keywords the message contains (luggage, early check-in, towels...).</summary>
    private HotelFact? MatchFact(TurnContext t)
    {
        foreach (var fact in _profile.Facts)
        {
            if (fact.Keywords.Count > 0 && DialogText.ContainsAny(t.Norm, fact.Keywords.Select(k => DialogText.Normalize(k.TrimEnd('*')) + (k.EndsWith('*') ? "*" : string.Empty)).ToArray()))
            {
                return fact;
            }
        }

        return null;
    }

    private void AnswerRoomTypes(TurnContext t, NluResult nlu, bool withPending = true)
    {
        var text = RoomTypesAnswer(t, nlu);
        t.Say(withPending ? WithPending(t, text) : text);
    }

    private string RoomTypesAnswer(TurnContext t, NluResult nlu)
    {
        var rooms = MentionedRooms(t);
        string text;
        if (rooms.Count > 0)
        {
            // "¿entraría uno de los chicos en un colchón?" asks about the party already given
            var fits = DialogText.ContainsAny(t.Norm, "entran", "entramos", "entraria*", "entra", "caben", "cabemos", "cabria*", "fit", "duermen", "para",
                "colchon*", "cama extra", "supletoria", "extra bed", "rollaway");
            var asked = GuestsSaid(t, nlu.Entities.Guests) ?? (fits ? t.S.Stay.Guests : null);
            if (asked is { } g && fits)
            {
                var room = rooms[0];
                var bigger = RoomTypes.Where(r => r.Capacity >= g).OrderBy(r => r.Capacity).ThenBy(r => r.NightlyRate).FirstOrDefault();
                text = room.Capacity >= g
                    ? L(t, $"Sí, la {room.NameFor("es")} es para hasta {Guests(t, room.Capacity)}.", $"Yes, the {room.NameFor("en")} holds up to {Guests(t, room.Capacity)}.")
                    : L(t, $"No, la {room.NameFor("es")} es para hasta {Guests(t, room.Capacity)}.", $"No, the {room.NameFor("en")} holds up to {Guests(t, room.Capacity)}.")
                      + (bigger is null ? string.Empty : L(t, $" Para {Guests(t, g)} te conviene la {bigger.NameFor("es")}.", $" For {Guests(t, g)} the {bigger.NameFor("en")} is the one."));
            }
            else
            {
                text = string.Join('\n', rooms.Take(2).Select(r => DescribeRoom(t, r) + RoomFeaturesText(t, r, nlu.Entities.Amenities)));
            }

            // Only when nothing is pending: mid-flow the flow's own question follows, and two questions in one reply
            // ("¿te la cotizo?" + "¿para qué fecha?") leave the guest not knowing which to answer.
            if (PendingKey(t) is null)
            {
                text += L(t, "\n¿Querés que te la cotice para tus fechas?", "\nShall I quote it for your dates?");
                t.S = t.S with { Asked = AskedSlot.QuoteOffer, FocusRoom = rooms[0].Code };
            }
        }
        else
        {
            var shortVersion = Answered(t, "rooms");
            var sb = new StringBuilder(L(t, shortVersion ? "Te repaso las habitaciones:\n" : "Estas son nuestras habitaciones:\n", shortVersion ? "Our rooms again:\n" : "These are our rooms:\n"));
            foreach (var r in RoomTypes)
            {
                sb.Append("• ").Append(r.NameFor(t.S.Language)).Append(L(t, $" (hasta {Guests(t, r.Capacity)})", $" (up to {Guests(t, r.Capacity)})"));
                if (!shortVersion)
                {
                    sb.Append(": ").Append(r.DescriptionFor(t.S.Language));
                }

                sb.Append('\n');
            }

            if (PendingKey(t) is null)
            {
                sb.Append(L(t, "¿Querés que te cotice alguna para tus fechas?", "Shall I quote one for your dates?"));
                t.S = t.S with { Asked = AskedSlot.QuoteOffer, FocusRoom = null };
            }

            text = sb.ToString().TrimEnd('\n');
        }

        return text;
    }

    /// <summary>The distinctive words of a room feature in both languages ("hidromasaje", "jacuzzi", "hydromassage").</summary>
    private static string[] FeatureWords(RoomFeature f) =>
        DialogText.Normalize(f.TextFor("es") + " " + f.TextFor("en")).Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Where(w => w.Length >= 5 && w.All(char.IsAsciiLetter)).Distinct(StringComparer.Ordinal).ToArray();

    /// <summary>The profile room types named in the message, in order of mention.</summary>
    private List<RoomTypeProfile> MentionedRooms(TurnContext t)
    {
        var norm = " " + t.Norm + " ";
        return RoomTypes
            .Select(r => (Room: r, At: new[] { r.Code, DialogText.Normalize(r.Name), DialogText.Normalize(r.NameFor("en")) }.Concat(RoomWords(r.Code))
                .Where(w => w.Length > 0).Select(w => norm.IndexOf(" " + w + " ", StringComparison.Ordinal)).Where(i => i >= 0).DefaultIfEmpty(-1).Min()))
            .Where(x => x.At >= 0)
            .OrderBy(x => x.At)
            .Select(x => x.Room)
            .ToList() is { Count: > 0 } found
            ? found
            : t.Nlu.Entities.RoomType is { } code && RoomTypes.FirstOrDefault(r => r.Code == code) is { } one ? [one] : [];
    }

    private string RoomFeaturesText(TurnContext t, RoomTypeProfile room, IReadOnlyList<string> amenities)
    {
        if (amenities.Count == 0)
        {
            return string.Empty;
        }

        var parts = new List<string>();
        foreach (var code in amenities)
        {
            if (room.Features.FirstOrDefault(f => f.Amenity == code) is { } feature)
            {
                parts.Add(L(t, $" Sí, tiene {feature.TextFor("es")}.", $" Yes, it has {feature.TextFor("en")}."));
            }
        }

        return string.Concat(parts);
    }

    private async Task AnswerAmenitiesAsync(TurnContext t, NluResult nlu, bool withPending = true)
    {
        if (nlu.Entities.Amenities.Count > 0 || MatchFact(t) is not null)
        {
            await AnswerHotelQuestionAsync(t, withPending);
            return;
        }

        var generic = (DialogText.ContainsAny(t.Norm, GenericAmenityWords) && !DialogText.ContainsAny(t.Norm, "servicio de", "servicios de", "service for"))
            || t.Norm.Split(' ').Length <= 2;
        if (generic)
        {
            var shortVersion = Answered(t, "amenities");
            var sb = new StringBuilder(L(t, shortVersion ? "Te repaso los servicios:\n" : "Estos son los servicios del hotel:\n", shortVersion ? "The amenities again:\n" : "These are the hotel's amenities:\n"));
            foreach (var a in _profile.Amenities)
            {
                sb.Append("• ").Append(shortVersion ? a.DescriptionFor(t.S.Language) : AmenityText(t, a)).Append('\n');
            }

            var text = sb.ToString().TrimEnd();
            t.Say(withPending ? WithPending(t, text) : text);
            return;
        }

        await UnknownQuestionAsync(t, withPending);
    }

    /// <summary>The answer about specific amenities (a room's own features first; unknown ones go to reception).</summary>
    private async Task<string> AmenitiesAnswerAsync(TurnContext t, NluResult nlu, IReadOnlyList<string> asked)
    {
        var lines = new List<string>();
        var unknown = new List<string>();
        var rooms = MentionedRooms(t);
        var includedQuestion = DialogText.ContainsAny(t.Norm, "incluid*", "incluye*", "incluso", "viene con", "included", "include*", "gratis", "free", "sin cargo", "aparte", "extra");
        foreach (var code in asked.Distinct(StringComparer.Ordinal))
        {
            var amenity = _profile.Amenities.FirstOrDefault(a => string.Equals(a.Code, code, StringComparison.Ordinal));
            var roomsWith = RoomTypes.Where(r => r.Features.Any(f => f.Amenity == code)).ToList();
            if (rooms.Count > 0 && rooms[0].Features.FirstOrDefault(f => f.Amenity == code) is { } feature)
            {
                lines.Add(L(t, $"Sí, la {rooms[0].NameFor("es")} tiene {feature.TextFor("es")}.", $"Yes, the {rooms[0].NameFor("en")} has {feature.TextFor("en")}."));
            }
            else if (amenity is not null)
            {
                var text = AmenityText(t, amenity);
                if (includedQuestion || amenity.Included)
                {
                    lines.Add(amenity.Included
                        ? L(t, $"Sí, está incluido en la tarifa: {text}.", $"Yes, it's included in the rate: {text}.")
                        : amenity.Price is { } p
                            ? L(t, $"No está incluido, tiene un costo de {Price(t, p, _profile.Currency)}: {amenity.DescriptionFor("es")}.", $"It's not included, it costs {Price(t, p, _profile.Currency)}: {amenity.DescriptionFor("en")}.")
                            : L(t, $"Sí, tenemos: {text}.", $"Yes, we have: {text}."));
                }
                else
                {
                    lines.Add((IsYesNoQuestion(t) ? L(t, "Sí: ", "Yes: ") : string.Empty) + text + ".");
                }
            }
            else if (rooms.Count > 0)
            {
                lines.Add(L(t, $"No, la {rooms[0].NameFor("es")} no tiene eso.", $"No, the {rooms[0].NameFor("en")} doesn't have that.")
                    + (roomsWith.Count > 0 ? L(t, $" Lo tiene la {roomsWith[0].NameFor("es")} ({roomsWith[0].Features.First(f => f.Amenity == code).TextFor("es")}).",
                        $" The {roomsWith[0].NameFor("en")} does ({roomsWith[0].Features.First(f => f.Amenity == code).TextFor("en")}).") : string.Empty));
            }
            else if (roomsWith.Count > 0 && roomsWith[0].Features.First(x => x.Amenity == code) is var f
                && DialogText.ContainsAny(t.Norm, FeatureWords(f)))
            {
                // The guest named what a room has ("¿alguna tiene jacuzzi?"): that is the answer, not "no tengo ese dato".
                lines.Add(L(t, $"La {roomsWith[0].NameFor("es")} tiene {f.TextFor("es")}.", $"The {roomsWith[0].NameFor("en")} has {f.TextFor("en")}."));
            }
            else
            {
                unknown.Add(code);
                if (roomsWith.Count > 0)
                {
                    // Not a hotel amenity we know of (a spa), but a room has something close: say what we do know.
                    var g = roomsWith[0].Features.First(x => x.Amenity == code);
                    lines.Add(L(t, $"Lo que sí te puedo decir: la {roomsWith[0].NameFor("es")} tiene {g.TextFor("es")}.",
                        $"What I can tell you: the {roomsWith[0].NameFor("en")} has {g.TextFor("en")}."));
                }
            }
        }

        if (unknown.Count > 0)
        {
            var what = string.Join(", ", unknown.Select(u => AmenityName(t, u)));
            lines.Insert(0, L(t,
                $"Sobre {what} no tengo ese dato; lo consulto con recepción y te respondemos por acá (o al {_profile.Phone}).",
                $"I don't have that information about {what}; I'll check with reception and we'll get back to you here (or call {_profile.Phone})."));
            t.Events.Add(new DialogEvent(DialogEventKind.UnknownQuestion) { Reason = string.Join(',', unknown) });
            await t.Effects.NotifyStaffAsync(Notice(t, "unknown_question", t.S.Stage, isHandoff: false));
        }

        _ = nlu;
        return string.Join('\n', lines);
    }

    private static string AmenityName(TurnContext t, string code) => code switch
    {
        "spa" => L(t, "spa o jacuzzi", "a spa or jacuzzi"),
        "piscina" => L(t, "pileta", "pool"),
        "gimnasio" => L(t, "gimnasio", "gym"),
        "estacionamiento" => L(t, "estacionamiento", "parking"),
        "traslado_aeropuerto" => L(t, "traslado al aeropuerto", "airport transfer"),
        "desayuno" => L(t, "desayuno", "breakfast"),
        "restaurante" => L(t, "restaurante", "restaurant"),
        "lavanderia" => L(t, "lavandería", "laundry"),
        "mascotas" => L(t, "mascotas", "pets"),
        "accesibilidad" => L(t, "accesibilidad", "accessibility"),
        "aire_acondicionado" => L(t, "aire acondicionado", "air conditioning"),
        "caja_fuerte" => L(t, "caja fuerte", "a safe"),
        "recepcion_24h" => L(t, "recepción 24 horas", "a 24-hour front desk"),
        _ => code.Replace('_', ' '),
    };

    private static bool IsYesNoQuestion(TurnContext t) =>
        DialogText.ContainsAny(t.Norm, "tienen", "tenes", "hay", "aceptan", "admiten", "se puede", "puedo", "ofrecen", "cuentan con", "incluye*",
            "do you", "is there", "are there", "can i", "can we", "does", "is it", "have");

    private string AmenityText(TurnContext t, HotelAmenity a)
    {
        var text = a.DescriptionFor(t.S.Language);
        if (a.HoursFor(t.S.Language) is { } hours)
        {
            text += L(t, $" (horario: {hours})", $" (hours: {hours})");
        }

        if (a.Price is { } price)
        {
            text += L(t, $", cuesta {Price(t, price, _profile.Currency)}", $", costs {Price(t, price, _profile.Currency)}");
        }

        return text;
    }

    private void AnswerLocation(TurnContext t, bool withPending = true)
    {
        var text = LocationAnswer(t);
        t.Say(withPending ? WithPending(t, text) : text);
    }

    private string LocationAnswer(TurnContext t)
    {
        string text;
        if (Answered(t, "location"))
        {
            // Asked again: the essentials only, not the same paragraph.
            text = L(t, $"La dirección es {_profile.Address}" + (_profile.Area is null ? string.Empty : $", {_profile.Area}") + $", {_profile.City}.",
                $"The address is {_profile.Address}" + (_profile.Area is null ? string.Empty : $", {_profile.Area}") + $", {_profile.City}.");
            if (_profile.MapUrl is not null)
            {
                text += L(t, $" En el mapa: {_profile.MapUrl}", $" On the map: {_profile.MapUrl}");
            }
        }
        else
        {
            var sb = new StringBuilder(L(t, $"Dirección: {_profile.Address}, {_profile.City}.", $"Address: {_profile.Address}, {_profile.City}."));
            if (_profile.DirectionsFor(t.S.Language) is { } directions)
            {
                sb.Append(' ').Append(directions);
            }

            if (_profile.MapUrl is not null)
            {
                sb.Append('\n').Append(L(t, "Mapa: ", "Map: ")).Append(_profile.MapUrl);
            }

            text = sb.ToString();
        }

        return text;
    }

    /// <summary>The policies the guest asked about, picked by keywords (Spanish and English).</summary>
    private static List<string> PolicyTopics(TurnContext t, NluResult nlu)
    {
        var n = t.Norm;
        var topics = new List<string>();
        if (DialogText.ContainsAny(n, "check*", "horario*", "hora", "horas", "a que hora", "entrada", "salida", "late", "early", "time", "ingreso", "egreso"))
        {
            topics.Add("times");
        }

        if (DialogText.ContainsAny(n, "cancel*", "anul*", "devoluc*", "reembols*", "refund*", "devuelven"))
        {
            topics.Add("cancellation");
        }

        if (DialogText.ContainsAny(n, "nino*", "ninos", "nenes", "chicos", "chica", "chicas", "bebe*", "hijo*", "hija*", "menor*", "cuna", "kid*", "child*", "baby", "babies", "crib", "familia*"))
        {
            topics.Add("children");
        }

        if (DialogText.ContainsAny(n, "mascota*", "perro*", "perri*", "gato*", "pet", "pets", "dog*", "cat", "cats") || nlu.Entities.Amenities.Contains("mascotas"))
        {
            topics.Add("pets");
        }

        // "¿cómo se paga?" is about payment; "¿los chicos pagan?" is about children
        if (DialogText.ContainsAny(n, "tarjeta*", "efectivo", "transferencia", "sena", "deposito", "card*", "cash", "credit", "debit*", "visa", "mastercard",
                "amex", "mercadopago", "mercado pago", "dolares", "dollars", "forma de pago", "formas de pago", "medios de pago", "medio de pago", "como se paga",
                "como pago", "pagar con", "pago con", "payment", "pay with", "how can i pay", "how do i pay", "adelantado", "por adelantado", "in advance")
            || (DialogText.ContainsAny(n, "pag*", "pay*") && topics.Count == 0))
        {
            topics.Add("payment");
        }

        if (DialogText.ContainsAny(n, "fum*", "smok*", "cigarr*", "tabaco"))
        {
            topics.Add("smoking");
        }

        if (topics.Count == 0 && DialogText.ContainsAny(n, "politica*", "reglas", "normas", "condiciones", "policy", "policies", "rules"))
        {
            topics.Add("general");
        }

        return topics;
    }

    private async Task AnswerPoliciesAsync(TurnContext t, NluResult nlu, bool withPending = true)
    {
        if (MatchFact(t) is not null || nlu.Entities.Amenities.Count > 0)
        {
            // "¿puedo dejar las valijas antes del check-in?" is about luggage, not check-in times.
            await AnswerHotelQuestionAsync(t, withPending);
            return;
        }

        var text = PoliciesAnswer(t, nlu, PolicyTopics(t, nlu));
        t.Say(withPending ? WithPending(t, text) : text);
    }

    private string PoliciesAnswer(TurnContext t, NluResult nlu, IReadOnlyList<string> topics)
    {
        var p = _profile.Policies;
        var lang = t.S.Language;
        var parts = new List<string>();
        foreach (var topic in topics)
        {
            switch (topic)
            {
                case "times":
                    parts.Add(L(t, $"El check-in es desde las {p.CheckInTime} y el check-out hasta las {p.CheckOutTime}.",
                        $"Check-in is from {p.CheckInTime} and check-out until {p.CheckOutTime}."));
                    break;
                case "cancellation":
                    parts.Add(p.CancellationFor(lang));
                    break;
                case "children":
                    parts.Add(p.ChildrenFor(lang));
                    break;
                case "pets":
                    parts.Add(p.PetsFor(lang));
                    break;
                case "payment":
                    parts.Add(p.PaymentFor(lang));
                    break;
                case "smoking" when p.SmokingFor(lang) is { } smoking:
                    parts.Add(smoking);
                    break;
            }
        }

        if (parts.Count == 0)
        {
            parts.Add(L(t,
                $"El check-in es desde las {p.CheckInTime} y el check-out hasta las {p.CheckOutTime}. {p.CancellationFor(lang)}\nSi querés, preguntame por niños, mascotas o formas de pago.",
                $"Check-in is from {p.CheckInTime} and check-out until {p.CheckOutTime}. {p.CancellationFor(lang)}\nFeel free to ask about children, pets or payment."));
        }

        _ = nlu;
        return string.Join('\n', parts);
    }

    private async Task AnswerOutOfScopeAsync(TurnContext t)
    {
        // A question about the hotel we have no data for gets an honest answer and goes to reception; small talk gets a polite no.
        var looksLikeQuestion = t.Raw.Contains('?', StringComparison.Ordinal)
            || QuestionStarts.Any(q => t.Norm.StartsWith(DialogText.Normalize(q) + " ", StringComparison.Ordinal));
        var aboutHotel = DialogText.ContainsAny(t.Norm, "hotel", "habitacion*", "cuarto*", "room*", "recepcion", "tienen", "tenes", "hay", "ofrecen",
            "do you have", "is there", "are there", "servicio*", "huesped*", "guest*", "puedo", "se puede", "can i", "can we");
        if (looksLikeQuestion && aboutHotel)
        {
            await UnknownQuestionAsync(t);
            return;
        }

        t.Say(WithPending(t, L(t,
            $"Eso se me escapa 🙂 Soy el asistente del {_profile.Name}: te ayudo con reservas, precios y dudas sobre el hotel.",
            $"That's outside what I can do 🙂 I'm {_profile.Name}'s assistant: I can help with bookings, prices and questions about the hotel.")));
    }

    /// <summary>Honest "no tengo ese dato" with the hotel's contact: notifies staff and counts as a fallback toward handoff.</summary>
    private async Task UnknownQuestionAsync(TurnContext t, bool withPending = true)
    {
        var text = await UnknownAnswerAsync(t);
        if (text is not null)
        {
            t.Say(withPending ? WithPending(t, text) : text);
        }
    }

    /// <summary>The "no tengo ese dato" text (staff notified), or null when it became a handoff (too many in a row).</summary>
    private async Task<string?> UnknownAnswerAsync(TurnContext t)
    {
        t.S = t.S with { FallbackCount = t.S.FallbackCount + 1 };
        t.Events.Add(new DialogEvent(DialogEventKind.UnknownQuestion));
        if (t.S.FallbackCount > _options.MaxConsecutiveFallbacks)
        {
            await HandoffAsync(t, "fallbacks");
            return null;
        }

        await t.Effects.NotifyStaffAsync(Notice(t, "unknown_question", t.S.Stage, isHandoff: false));
        return L(t,
            $"No tengo ese dato, y prefiero no inventarte nada 🙏 Ya se lo pasé a recepción y te respondemos por acá. Si lo necesitás antes: {_profile.Phone} · {_profile.Email}.",
            $"I don't have that information, and I'd rather not guess 🙏 I've passed it on to reception and we'll get back to you here. If you need it sooner: {_profile.Phone} · {_profile.Email}.");
    }

    private static string LowerFirst(string s) => s.Length > 1 && char.IsUpper(s[0]) && !char.IsUpper(s[1]) ? char.ToLowerInvariant(s[0]) + s[1..] : s;
}
