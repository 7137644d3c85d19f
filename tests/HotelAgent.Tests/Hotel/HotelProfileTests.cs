using HotelAgent.Core.Hotel;

namespace HotelAgent.Tests.Hotel;

public class HotelProfileTests
{
    [Fact]
    public void Embedded_sample_hotel_loads_with_every_canonical_room_type()
    {
        var hotel = HotelProfile.Load(null);

        Assert.Equal("Hotel Palermo Soho", hotel.Name);
        Assert.Equal("ARS", hotel.Currency);
        Assert.Equal(["doble", "ejecutiva", "familiar", "simple", "suite", "triple"], hotel.RoomTypes.Select(r => r.Code).Order());
        Assert.All(hotel.RoomTypes, r => Assert.True(r.Inventory > 0 && r.NightlyRate > 0 && r.Capacity > 0));
    }

    [Fact]
    public void Profile_file_overrides_the_sample()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, """
                { "name": "Hostal Test", "address": "Calle 1", "city": "Córdoba", "country": "AR", "phone": "1", "email": "a@b.c", "currency": "ARS",
                  "policies": { "checkInTime": "15:00", "checkOutTime": "11:00", "cancellation": "c", "children": "n", "pets": "p", "payment": "pay" },
                  "roomTypes": [ { "code": "doble", "name": "Doble", "description": "d", "capacity": 2, "inventory": 1, "nightlyRate": 1000 } ] }
                """);
            var hotel = HotelProfile.Load(path);
            Assert.Equal("Hostal Test", hotel.Name);
            Assert.Single(hotel.RoomTypes);
        }
        finally
        {
            File.Delete(path);
        }
    }
}

public class HotelProfileLanguageTests
{
    [Fact]
    public void Every_guest_facing_text_of_the_sample_hotel_is_also_in_english()
    {
        var hotel = HotelProfile.Load(null);

        Assert.NotEqual(hotel.Directions, hotel.DirectionsFor("en"));
        var p = hotel.Policies;
        Assert.All(new[] { (p.Cancellation, p.CancellationFor("en")), (p.Children, p.ChildrenFor("en")), (p.Pets, p.PetsFor("en")), (p.Payment, p.PaymentFor("en")), (p.Smoking!, p.SmokingFor("en")!) },
            pair => Assert.NotEqual(pair.Item1, pair.Item2));
        Assert.All(hotel.Amenities, a =>
        {
            Assert.NotNull(a.En?.Description);
            Assert.Equal(a.Hours is null, a.HoursFor("en") is null);
            Assert.DoesNotContain(" a ", a.HoursFor("en") ?? string.Empty, StringComparison.Ordinal);
        });
        Assert.All(hotel.RoomTypes, r =>
        {
            Assert.NotEqual(r.Name, r.NameFor("en"));
            Assert.NotEqual(r.Description, r.DescriptionFor("en"));
            Assert.Equal(r.Includes.Count, r.IncludesFor("en").Count);
            Assert.All(r.Features, f => Assert.NotNull(f.En?.Text));
        });
        Assert.NotEmpty(hotel.Facts);
        Assert.All(hotel.Facts, f =>
        {
            Assert.NotEqual(f.Answer, f.AnswerFor("en"));
            Assert.NotEmpty(f.Keywords);
        });
        Assert.Contains(hotel.Facts, f => f.Topic == "luggage");
        Assert.Contains(hotel.RoomTypes, r => r.Features.Any(f => f.Amenity == "spa"));
        Assert.True(hotel.Amenities.Single(a => a.Code == "desayuno").Included);
    }

    [Fact]
    public void A_profile_without_english_texts_falls_back_to_its_own()
    {
        var hotel = HotelProfile.Parse("""
            { "name": "Hostal", "address": "Calle 1", "city": "Córdoba", "country": "AR", "phone": "1", "email": "a@b.c", "currency": "ARS",
              "directions": "A dos cuadras de la plaza.",
              "policies": { "checkInTime": "15:00", "checkOutTime": "11:00", "cancellation": "c", "children": "n", "pets": "p", "payment": "pay" },
              "amenities": [ { "code": "wifi", "description": "Wi-Fi" } ],
              "roomTypes": [ { "code": "doble", "name": "Doble", "description": "d", "capacity": 2, "inventory": 1, "nightlyRate": 1000, "includes": ["wifi"] } ] }
            """);

        Assert.Equal("A dos cuadras de la plaza.", hotel.DirectionsFor("en"));
        Assert.Equal("Doble", hotel.RoomTypes[0].NameFor("en"));
        Assert.Equal(["wifi"], hotel.RoomTypes[0].IncludesFor("en"));
        Assert.Equal("Wi-Fi", hotel.Amenities[0].DescriptionFor("en"));
        Assert.Equal("c", hotel.Policies.CancellationFor("en"));
        Assert.Empty(hotel.Facts);
    }
}
