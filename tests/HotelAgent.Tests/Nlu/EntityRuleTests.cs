using HotelAgent.Core.Nlu;

namespace HotelAgent.Tests.Nlu;

public class EntityRuleTests
{
    private static readonly DateOnly Today = new(2026, 11, 21);

    private static NluEntities X(string text) => EntityExtractor.Extract(text, Today);

    [Theory]
    [InlineData("2 adultos y 1 niño", 3)]
    [InlineData("dos adultos y dos chicos", 4)]
    [InlineData("una pareja", 2)]
    [InlineData("somos 4", 4)]
    [InlineData("seríamos tres", 3)]
    [InlineData("para dos", 2)]
    [InlineData("una doble para dos del 4 al 7", 2)]
    [InlineData("for 2 people", 2)]
    [InlineData("for two adults", 2)]
    [InlineData("2 adults and a kid", 3)]
    [InlineData("mi esposa y yo", 2)]
    [InlineData("my wife and I", 2)]
    [InlineData("para mí solo", 1)]
    [InlineData("just me", 1)]
    [InlineData("cinco personas", 5)]
    [InlineData("una familia de 5", 5)]
    [InlineData("family of 4", 4)]
    [InlineData("un grupo de 8", 8)]
    [InlineData("vamos a ser 3 en vez de 2", 3)]
    [InlineData("para 2 pax", 2)]
    [InlineData("hay lugar p/ 2 el 24?", 2)]
    [InlineData("tenés algo pa 3?", 3)]
    public void Guests(string text, int guests) => Assert.Equal(guests, X(text).Guests);

    [Theory]
    [InlineData("para 2 noches")]
    [InlineData("para el 20")]
    [InlineData("quiero hablar con una persona")]
    [InlineData("para el 15 de diciembre")]
    public void Not_guests(string text) => Assert.Null(X(text).Guests);

    [Theory]
    [InlineData("una simple", "simple")]
    [InlineData("a single room", "simple")]
    [InlineData("una individual", "simple")]
    [InlineData("la matrimonial", "doble")]
    [InlineData("a double", "doble")]
    [InlineData("a twin room", "doble")]
    [InlineData("una triple", "triple")]
    [InlineData("la familiar", "familiar")]
    [InlineData("a family room", "familiar")]
    [InlineData("una suite", "suite")]
    [InlineData("la ejecutiva", "ejecutiva")]
    [InlineData("an executive room", "ejecutiva")]
    [InlineData("una dobel", "doble")] // transposition
    [InlineData("la matrimonal", "doble")] // deletion
    [InlineData("una tripel", "triple")]
    [InlineData("la suit", "suite")]
    [InlineData("la ejecutiba", "ejecutiva")]
    public void Room_types_with_synonyms_and_typos(string text, string room) => Assert.Equal(room, X(text).RoomType);

    [Theory]
    [InlineData("quiero cancelar, surgió un problema familiar")]
    [InlineData("cuántas cuadras hay hasta el subte?")]
    [InlineData("any rooms for a family of 4?")]
    [InlineData("tienen camas individuales?")]
    [InlineData("viajo con mi familia")]
    [InlineData("aceptan pago en efectivo?")]
    public void Not_room_types(string text) => Assert.Null(X(text).RoomType);

    [Theory]
    [InlineData("hay pileta?", "piscina")]
    [InlineData("do you have a pool", "piscina")]
    [InlineData("tienen gym?", "gimnasio")]
    [InlineData("anda internet?", "wifi")]
    [InlineData("el wi-fi es gratis?", "wifi")]
    [InlineData("hay cochera?", "estacionamiento")]
    [InlineData("is there parking", "estacionamiento")]
    [InlineData("tienen estacionamento?", "estacionamiento")] // typo
    [InlineData("is breakfast included", "desayuno")]
    [InlineData("tienen aire acondicionado?", "aire_acondicionado")]
    [InlineData("does the room have AC?", "aire_acondicionado")]
    [InlineData("puedo ir con mi perro?", "mascotas")]
    [InlineData("are pets allowed", "mascotas")]
    [InlineData("tienen transfer?", "traslado_aeropuerto")]
    [InlineData("is there an airport shuttle", "traslado_aeropuerto")]
    [InlineData("hay lavandería?", "lavanderia")]
    [InlineData("tienen room service?", "room_service")]
    [InlineData("es accesible para silla de ruedas?", "accesibilidad")]
    [InlineData("la recepción es 24 horas?", "recepcion_24h")]
    [InlineData("hay caja fuerte?", "caja_fuerte")]
    [InlineData("tienen sauna?", "spa")]
    [InlineData("tienen restaurante?", "restaurante")]
    [InlineData("hay bar?", "bar")]
    public void Amenities(string text, string amenity) => Assert.Equal([amenity], X(text).Amenities);

    [Fact]
    public void Amenities_in_order_of_mention_without_duplicates() =>
        Assert.Equal(["gimnasio", "piscina", "estacionamiento"], X("tienen gimnasio, pileta, piscina y cochera o parking?").Amenities);

    [Fact]
    public void Aire_libre_is_not_air_conditioning() => Assert.Empty(X("hay actividades al aire libre?").Amenities);

    [Theory]
    [InlineData("mi reserva HA-7K2M9Q", "HA-7K2M9Q")]
    [InlineData("el código es ha-3px8ld", "HA-3PX8LD")]
    [InlineData("tengo el código AB12CD", "AB12CD")]
    [InlineData("la reserva 45872", "45872")]
    public void Booking_references(string text, string code) => Assert.Equal(code, X(text).BookingReference);

    [Theory]
    [InlineData("tienen wi-fi?")]
    [InlineData("es pet-friendly?")]
    [InlineData("del 10 al 15 de diciembre de 2026")]
    public void Not_booking_references(string text) => Assert.Null(X(text).BookingReference);

    [Fact]
    public void Email() => Assert.Equal("ana.gomez@example.com", X("mi mail es ana.gomez@example.com gracias").Email);

    [Theory]
    [InlineData("me llamo juan pérez", "Juan Pérez")]
    [InlineData("a nombre de Laura Fernández, 2 adultos", "Laura Fernández")]
    [InlineData("my name is John Smith and I want a room", "John Smith")]
    [InlineData("mi nombre es María de la Fuente", "María de la Fuente")]
    [InlineData("Soy Carla", "Carla")]
    public void Person_names(string text, string name) => Assert.Equal(name, X(text).PersonName);

    [Theory]
    [InlineData("soy de córdoba")]
    [InlineData("a nombre de quién está la reserva?")]
    public void Not_person_names(string text) => Assert.Null(X(text).PersonName);

    [Theory]
    [InlineData("la 2", 2)]
    [InlineData("la segunda", 2)]
    [InlineData("quiero la primera", 1)]
    [InlineData("option 1", 1)]
    [InlineData("opción 3", 3)]
    [InlineData("the second one", 2)]
    [InlineData("3", 3)]
    public void Option_numbers(string text, int option) => Assert.Equal(option, X(text).OptionNumber);

    [Theory]
    [InlineData("el primero de diciembre")]
    [InlineData("la segunda semana de enero")]
    [InlineData("somos 2")]
    public void Not_option_numbers(string text) => Assert.Null(X(text).OptionNumber);

    [Theory]
    [InlineData("3", 3)]
    [InlineData("tres", 3)]
    [InlineData("three", 3)]
    [InlineData("quince", 15)]
    [InlineData("15th", 15)]
    [InlineData("1ro", 1)]
    [InlineData("veinte", 20)]
    public void Number_words(string token, int value) => Assert.Equal(value, NumberWords.Parse(token, english: false));

    [Fact]
    public void Once_is_eleven_only_in_spanish()
    {
        Assert.Equal(11, NumberWords.Parse("once", english: false));
        Assert.Null(NumberWords.Parse("once", english: true));
    }

    [Theory]
    [InlineData("doble", "dobel", 1)]
    [InlineData("suite", "suite", 0)]
    [InlineData("matrimonial", "matrimonal", 1)]
    [InlineData("abc", "xyz", 3)]
    [InlineData("ca", "abc", 3)] // optimal string alignment, not unrestricted DL
    public void Damerau_levenshtein(string a, string b, int d) => Assert.Equal(d, Fuzzy.DamerauLevenshtein(a, b));
}
