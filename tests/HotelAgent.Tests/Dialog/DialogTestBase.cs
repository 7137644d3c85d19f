using HotelAgent.Core.Dialog;
using HotelAgent.Core.Hotel;
using HotelAgent.Core.Messaging;
using HotelAgent.Core.Nlu;
using HotelAgent.Core.Pms;
using HotelAgent.Tests.Fakes.Dialog;

namespace HotelAgent.Tests.Dialog;

/// <summary>Shared set-up: the sample hotel, the real NLU and embedded PMS behind the test effects, "today" = 2026-11-21.</summary>
public abstract class DialogTestBase : IDisposable
{
    protected static readonly DateOnly Today = new(2026, 11, 21);
    protected const string Phone = "+5491155551234";

    protected DialogTestBase()
    {
        Profile = HotelProfile.Load(null);
        Effects = new DialogTestEffects(Profile, new DateTimeOffset(2026, 11, 21, 15, 0, 0, TimeSpan.Zero));
        Dialog = new ReceptionistDialog(Profile);
    }

    protected HotelProfile Profile { get; }

    protected DialogTestEffects Effects { get; }

    protected ReceptionistDialog Dialog { get; }

    protected DialogConversation Guest(Channel channel = Channel.WhatsApp, string guestId = Phone, string? displayName = "Juan Pérez") =>
        new(Dialog, Effects, channel, guestId, displayName, Today);

    protected string Price(decimal amount) => PriceFormatter.Format(amount, Profile.Currency, Profile.Culture);

    protected async Task<Reservation> ExistingBooking(string contact, DateOnly checkIn, DateOnly checkOut, string roomType = "doble", string name = "Juan Pérez", int guests = 2, Channel? channel = null)
    {
        return await Effects.Pms.CreateReservationAsync(new NewReservation
        {
            IdempotencyKey = "seed-" + contact + checkIn.ToString("O", System.Globalization.CultureInfo.InvariantCulture) + roomType,
            GuestName = name,
            Contact = contact,
            Channel = channel ?? (contact.Contains('@', StringComparison.Ordinal) ? Channel.Email : Channel.WhatsApp),
            RoomType = roomType,
            CheckIn = checkIn,
            CheckOut = checkOut,
            Guests = guests,
        });
    }

    protected static NluResult Nlu(string intent, double confidence, params (string Intent, double Confidence)[] alternatives) => new()
    {
        Text = string.Empty,
        Intent = intent,
        Confidence = confidence,
        Alternatives = alternatives.Length == 0 ? [new IntentScore(intent, confidence)] : alternatives.Select(a => new IntentScore(a.Intent, a.Confidence)).ToArray(),
        Entities = NluEntities.Empty,
        Language = "es",
        Sentiment = 0,
    };

    public void Dispose()
    {
        Effects.Dispose();
        GC.SuppressFinalize(this);
    }
}
