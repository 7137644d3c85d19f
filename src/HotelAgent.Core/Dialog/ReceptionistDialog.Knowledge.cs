using System.Text;
using HotelAgent.Core.Hotel;
using HotelAgent.Core.Nlu;

namespace HotelAgent.Core.Dialog;

/// <summary>Hotel questions answered from the <see cref="HotelProfile"/> only; anything else gets an honest "I'll ask reception".</summary>
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
        t.Say(L(t,
            $"¡Hola{first}! 👋 Soy el asistente virtual del {_profile.Name}. Puedo consultar disponibilidad y precios, hacer, cambiar o cancelar tu reserva, y contarte todo sobre el hotel. ¿En qué te ayudo?",
            $"Hi{first}! 👋 I'm the virtual assistant of {_profile.Name}. I can check availability and prices, make, change or cancel your booking, and tell you all about the hotel. How can I help?"));
    }

    private void Help(TurnContext t) => t.Say(L(t,
        "Te puedo ayudar con:\n• Disponibilidad y precios para tus fechas\n• Hacer una reserva, consultarla, cambiarla o cancelarla\n• Habitaciones, servicios, ubicación y políticas del hotel\nSi preferís hablar con una persona, escribí \"recepción\".",
        "I can help you with:\n• Availability and prices for your dates\n• Making, checking, changing or cancelling a booking\n• Rooms, amenities, location and hotel policies\nIf you'd rather talk to a person, just write \"reception\"."));

    private void AnswerRoomTypes(TurnContext t)
    {
        var sb = new StringBuilder(L(t, "Estas son nuestras habitaciones:\n", "These are our rooms:\n"));
        foreach (var r in RoomTypes)
        {
            sb.Append("• ").Append(r.Name).Append(L(t, $" (hasta {Guests(t, r.Capacity)}): ", $" (up to {Guests(t, r.Capacity)}): ")).Append(r.Description).Append('\n');
        }

        sb.Append(L(t, "¿Querés que te cotice alguna para tus fechas?", "Shall I quote one for your dates?"));
        t.Say(WithPending(t, sb.ToString()));
    }

    private async Task AnswerAmenitiesAsync(TurnContext t, NluResult nlu)
    {
        var asked = nlu.Entities.Amenities;
        if (asked.Count == 0)
        {
            if (DialogText.ContainsAny(t.Norm, GenericAmenityWords) || t.Norm.Split(' ').Length <= 2)
            {
                var sb = new StringBuilder(L(t, "Estos son los servicios del hotel:\n", "These are the hotel's amenities:\n"));
                foreach (var a in _profile.Amenities)
                {
                    sb.Append("• ").Append(AmenityText(t, a)).Append('\n');
                }

                t.Say(WithPending(t, sb.ToString().TrimEnd()));
                return;
            }

            await UnknownQuestionAsync(t);
            return;
        }

        var lines = new List<string>();
        var unknown = new List<string>();
        foreach (var code in asked.Distinct(StringComparer.Ordinal))
        {
            var amenity = _profile.Amenities.FirstOrDefault(a => string.Equals(a.Code, code, StringComparison.Ordinal));
            if (amenity is null)
            {
                unknown.Add(code);
            }
            else
            {
                lines.Add((IsYesNoQuestion(t) ? L(t, "Sí: ", "Yes: ") : string.Empty) + AmenityText(t, amenity) + ".");
            }
        }

        if (unknown.Count > 0)
        {
            var what = string.Join(", ", unknown.Select(u => u.Replace('_', ' ')));
            lines.Add(L(t,
                $"Sobre {what} no tengo el dato; lo consulto con recepción y te respondemos por acá.",
                $"I don't have information about {what}; I'll check with reception and we'll get back to you here."));
            t.Events.Add(new DialogEvent(DialogEventKind.UnknownQuestion) { Reason = what });
            await t.Effects.NotifyStaffAsync(Notice(t, "unknown_question", t.S.Stage, isHandoff: false));
        }

        t.Say(WithPending(t, string.Join('\n', lines)));
    }

    private static bool IsYesNoQuestion(TurnContext t) =>
        DialogText.ContainsAny(t.Norm, "tienen", "tenes", "hay", "aceptan", "admiten", "se puede", "puedo", "ofrecen", "cuentan con", "incluye*",
            "do you", "is there", "are there", "can i", "can we", "does", "is it", "have");

    private string AmenityText(TurnContext t, HotelAmenity a)
    {
        var text = a.Description;
        if (a.Hours is not null)
        {
            text += L(t, $" (horario: {a.Hours})", $" (hours: {a.Hours})");
        }

        if (a.Price is { } price)
        {
            text += L(t, $", cuesta {Price(price, _profile.Currency)}", $", costs {Price(price, _profile.Currency)}");
        }

        return text;
    }

    private void AnswerLocation(TurnContext t)
    {
        var sb = new StringBuilder(L(t, $"Estamos en {_profile.Address}, {_profile.City}.", $"We're at {_profile.Address}, {_profile.City}."));
        if (_profile.Directions is not null)
        {
            sb.Append(' ').Append(_profile.Directions);
        }

        if (_profile.MapUrl is not null)
        {
            sb.Append('\n').Append(L(t, "Mapa: ", "Map: ")).Append(_profile.MapUrl);
        }

        t.Say(WithPending(t, sb.ToString()));
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

        if (DialogText.ContainsAny(n, "pag*", "tarjeta*", "efectivo", "transferencia", "sena", "deposito", "pay*", "card*", "cash", "credit", "debit*", "visa", "mastercard", "amex"))
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

    private void AnswerPolicies(TurnContext t, NluResult nlu)
    {
        var p = _profile.Policies;
        var parts = new List<string>();
        foreach (var topic in PolicyTopics(t, nlu))
        {
            switch (topic)
            {
                case "times":
                    parts.Add(L(t, $"El check-in es desde las {p.CheckInTime} y el check-out hasta las {p.CheckOutTime}.",
                        $"Check-in is from {p.CheckInTime} and check-out until {p.CheckOutTime}."));
                    break;
                case "cancellation":
                    parts.Add(L(t, p.Cancellation, $"Free cancellation up to {p.FreeCancellationHours} hours before check-in; after that the first night is charged."));
                    break;
                case "children":
                    parts.Add(p.Children);
                    break;
                case "pets":
                    parts.Add(p.Pets);
                    break;
                case "payment":
                    parts.Add(p.Payment);
                    break;
                case "smoking" when p.Smoking is not null:
                    parts.Add(p.Smoking);
                    break;
            }
        }

        if (parts.Count == 0)
        {
            parts.Add(L(t,
                $"El check-in es desde las {p.CheckInTime} y el check-out hasta las {p.CheckOutTime}. {p.Cancellation}\nSi querés, preguntame por niños, mascotas o formas de pago.",
                $"Check-in is from {p.CheckInTime} and check-out until {p.CheckOutTime}. Free cancellation up to {p.FreeCancellationHours} hours before check-in.\nFeel free to ask about children, pets or payment."));
        }

        t.Say(WithPending(t, string.Join('\n', parts)));
    }

    private async Task AnswerOutOfScopeAsync(TurnContext t)
    {
        // A question about the hotel we have no data for gets an honest answer and goes to reception; small talk gets a polite no.
        var looksLikeQuestion = (t.Turn.Message.Text ?? string.Empty).Contains('?', StringComparison.Ordinal)
            || QuestionStarts.Any(q => t.Norm.StartsWith(DialogText.Normalize(q) + " ", StringComparison.Ordinal));
        var aboutHotel = DialogText.ContainsAny(t.Norm, "hotel", "habitacion*", "cuarto*", "room*", "recepcion", "tienen", "tenes", "hay", "ofrecen",
            "do you have", "is there", "are there", "servicio*", "huesped*", "guest*");
        if (looksLikeQuestion && aboutHotel)
        {
            await UnknownQuestionAsync(t);
            return;
        }

        t.Say(WithPending(t, L(t,
            $"Eso se me escapa 🙂 Soy el asistente del {_profile.Name}: te ayudo con reservas, precios y dudas sobre el hotel.",
            $"That's outside what I can do 🙂 I'm {_profile.Name}'s assistant: I can help with bookings, prices and questions about the hotel.")));
    }

    /// <summary>Honest "I don't know, I'll ask reception": notifies staff and counts as a fallback toward handoff.</summary>
    private async Task UnknownQuestionAsync(TurnContext t)
    {
        t.S = t.S with { FallbackCount = t.S.FallbackCount + 1 };
        t.Events.Add(new DialogEvent(DialogEventKind.UnknownQuestion));
        if (t.S.FallbackCount > _options.MaxConsecutiveFallbacks)
        {
            await HandoffAsync(t, "fallbacks");
            return;
        }

        await t.Effects.NotifyStaffAsync(Notice(t, "unknown_question", t.S.Stage, isHandoff: false));
        t.Say(WithPending(t, L(t,
            "Esa no la sé, y prefiero no inventarte nada: lo consulto con recepción y te respondemos por acá.",
            "I don't know that one, and I'd rather not guess: I'll ask reception and we'll get back to you here.")));
    }

    /// <summary>After a side question mid-flow, repeat what the flow is waiting for.</summary>
    private string WithPending(TurnContext t, string text)
    {
        var pending = PendingQuestion(t);
        return pending is null ? text : text + "\n\n" + pending;
    }
}
