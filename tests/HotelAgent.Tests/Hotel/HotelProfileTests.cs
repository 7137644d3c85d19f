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
