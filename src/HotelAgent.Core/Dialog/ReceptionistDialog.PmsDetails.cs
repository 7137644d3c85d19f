using HotelAgent.Core.Channels.Common;
using HotelAgent.Core.Hotel;
using HotelAgent.Core.Messaging;
using HotelAgent.Core.Pms;

namespace HotelAgent.Core.Dialog;

/// <summary>
/// What the PMS needs or does differently from what the guest asked: a phone number when the PMS requires one, a guest
/// count the PMS did not apply, and the room types the PMS really has.
/// </summary>
public sealed partial class ReceptionistDialog
{
    /// <summary>The room types guests hear about: the PMS's (QloApps) or the hotel profile's (embedded PMS).</summary>
    private IReadOnlyList<RoomTypeProfile> RoomTypes => _rooms.RoomTypes;

    /// <summary>"Which room?" with the hotel's room types as options, so types without a canonical code (QloApps' own) can be picked.</summary>
    private void AskWhichRoom(TurnContext t)
    {
        var names = string.Join(", ", RoomTypes.Select(r => r.Name));
        t.Say(new Reply(L(t, $"¿Qué habitación preferís? Tenemos {names}.", $"Which room would you prefer? We have {names}."))
        {
            Options = RoomTypes.Take(10).Select(r => new ReplyOption(r.Code, Truncate(r.Name, 20), Truncate(L(t, $"hasta {Guests(t, r.Capacity)}", $"up to {Guests(t, r.Capacity)}"), 72))).ToArray(),
            OptionsTitle = L(t, "Habitaciones", "Rooms"),
        });
    }

    /// <summary>A room type picked by its option or typed by its name ("Luxury Rooms").</summary>
    private string? RoomTypeChosen(TurnContext t)
    {
        var byId = RoomTypes.FirstOrDefault(r => string.Equals(r.Code, t.Turn.Message.ReplyId, StringComparison.Ordinal));
        return byId?.Code ?? RoomTypes.FirstOrDefault(r => string.Equals(DialogText.Normalize(r.Name), t.Norm, StringComparison.Ordinal))?.Code;
    }

    /// <summary>The PMS refused to book without a phone: ask for one. The booking stays confirmed with the same write key.</summary>
    private void AskForPhone(TurnContext t, bool again)
    {
        t.S = t.S with { Stage = DialogStage.CollectingGuestDetails, Asked = AskedSlot.Phone };
        t.Say(again
            ? L(t, "Mmm, no me pareció un número válido. ¿Me lo pasás con código de área? (por ejemplo 11 5555-1234 o +54 9 11 5555-1234)",
                "Hmm, that doesn't look like a valid number. Could you send it with the area code? (e.g. +1 212 555 0123)")
            : L(t, "¡Ya casi! Para confirmar la reserva el sistema del hotel necesita un teléfono de contacto. ¿Me pasás tu número con código de área?",
                "Almost done! To confirm the booking the hotel's system needs a contact phone number. Could you send me yours, with the area code?"));
    }

    /// <summary>The answer to the phone question: a valid number books at once (the guest already said yes).</summary>
    private async Task<bool> HandlePhoneAnswerAsync(TurnContext t)
    {
        if (ContactNormalizer.FindPhone(t.Turn.Message.Text, _profile.Culture, notThis: _profile.Phone) is { } phone)
        {
            t.S = t.S with { Phone = phone, Asked = AskedSlot.None, Stage = DialogStage.ConfirmingBooking };
            await BookAsync(t);
            return true;
        }

        if (IsNo(t) || DialogText.ContainsAny(t.Norm, "prefiero no", "no tengo", "no quiero"))
        {
            t.Say(L(t,
                $"Entiendo. Sin un teléfono el sistema no me deja cerrar la reserva por acá; si preferís, recepción te la toma al {_profile.Phone} o a {_profile.Email}. Si cambiás de idea, pasame el número y la confirmo.",
                $"I understand. Without a phone number the system won't let me complete the booking here; reception can take it at {_profile.Phone} or {_profile.Email}. If you change your mind, send me the number and I'll confirm it."));
            return true;
        }

        if (t.Turn.Message.Text?.Count(char.IsAsciiDigit) >= 3)
        {
            AskForPhone(t, again: true);
            return true;
        }

        return false;
    }

    /// <summary>
    /// The PMS answered a change but kept the old number of guests (QloApps ignores a guest-count-only change): say so plainly
    /// and ask reception to adjust it, instead of claiming the change.
    /// </summary>
    private async Task ReportGuestCountNotAppliedAsync(TurnContext t, ReservationSnapshot before, Reservation after, int wanted)
    {
        var onlyGuests = after.CheckIn == before.CheckIn && after.CheckOut == before.CheckOut && string.Equals(after.RoomType, before.RoomType, StringComparison.Ordinal);
        t.S = t.S.ClearFlow();
        t.Say(onlyGuests
            ? L(t,
                $"No pude cambiar la cantidad de personas en el sistema: tu reserva {after.Reference} sigue registrada para {Guests(t, after.Guests)}. Ya le avisé a recepción para que la pase a {Guests(t, wanted)} y te confirme.",
                $"I couldn't change the number of guests in the system: booking {after.Reference} is still registered for {Guests(t, after.Guests)}. I've asked reception to change it to {Guests(t, wanted)} and confirm it with you.")
            : L(t,
                $"Actualicé tu reserva, pero la cantidad de personas quedó en {Guests(t, after.Guests)} en el sistema. Ya le avisé a recepción para que la pase a {Guests(t, wanted)} y te confirme.\n",
                $"I've updated your booking, but the system kept {Guests(t, after.Guests)}. I've asked reception to change it to {Guests(t, wanted)} and confirm it with you.\n")
              + Describe(t, Snapshot(after)));
        var reason = $"guest_count_not_applied: {after.Reference} has {after.Guests} guest(s) in the PMS, the guest asked for {wanted}";
        await t.Effects.NotifyStaffAsync(Notice(t, reason, DialogStage.ConfirmingModification, isHandoff: false));
    }
}
