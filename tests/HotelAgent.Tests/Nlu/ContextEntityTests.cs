using HotelAgent.Core.Nlu;

namespace HotelAgent.Tests.Nlu;

/// <summary>The entity cases of issue 13: group sizes, one night, moved stays, the wanted room in a change, next-week weekdays,
/// partial dates read against the stay on the table, complaints and language.</summary>
public class ContextEntityTests
{
    // 2026-11-21 is a Saturday
    private static readonly DateOnly Today = new(2026, 11, 21);

    private static NluEntities X(string text, DateOnly? today = null) => EntityExtractor.Extract(text, today ?? Today);

    private static DateOnly D(string iso) => DateOnly.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("somos una familia de 5, tienen lugar?", 5)]
    [InlineData("una flia tipo de 4", 4)]
    [InlineData("somos de 4", 4)]
    [InlineData("hay lugar para 4 persnas?", 4)]
    [InlineData("somos 3 perosnas", 3)]
    [InlineData("entran 3 en la doble?", 3)]
    [InlineData("we're a family of five", 5)]
    [InlineData("hay lugar para mi, mi mujer y los 3 nenes?", 5)]
    public void Group_sizes(string text, int guests) => Assert.Equal(guests, X(text).Guests);

    [Fact]
    public void Una_sola_noche_gives_one_night_and_the_check_out()
    {
        var e = X("reservame una sola noche el 12 de diciembre");
        Assert.Equal(1, e.Nights);
        Assert.Equal(D("2026-12-12"), e.CheckIn);
        Assert.Equal(D("2026-12-13"), e.CheckOut);
        Assert.Equal(1, X("es una noche sola nomás").Nights);
        Assert.Equal(1, X("just one night").Nights);
    }

    [Theory]
    [InlineData("quiero pasar la reserva al 20 de enero", "2027-01-20")]
    [InlineData("movela al 14", "2026-12-14")]
    [InlineData("se puede correr la reserva para el 3 de enero?", "2027-01-03")]
    [InlineData("I'd like to move my booking to january 9", "2027-01-09")]
    public void A_moved_stay_is_a_new_check_in(string text, string checkIn)
    {
        var e = X(text);
        Assert.Equal(D(checkIn), e.CheckIn);
        Assert.Null(e.CheckOut);
    }

    [Fact]
    public void A_new_departure_stays_a_departure() => Assert.Equal(D("2026-12-15"), X("cambiar la salida al 15 de diciembre").CheckOut);

    [Fact]
    public void Two_departures_in_a_row_are_a_range()
    {
        var e = X("cambiala al 11 al 13 de enero 2027");
        Assert.Equal(D("2027-01-11"), e.CheckIn);
        Assert.Equal(D("2027-01-13"), e.CheckOut);
        Assert.Equal(2, e.Nights);
    }

    [Theory]
    [InlineData("quiero cambiar la doble por una suite", "suite")]
    [InlineData("pasar de doble a suite", "suite")]
    [InlineData("en vez de la triple quiero la familiar", "familiar")]
    [InlineData("switch my double room to a suite", "suite")]
    [InlineData("no la doble, la ejecutiva", "ejecutiva")]
    [InlineData("qué diferencia hay entre la doble y la suite?", "doble")]
    [InlineData("me cobraron doble la reserva", null)]
    public void The_wanted_room_type(string text, string? room) => Assert.Equal(room, X(text).RoomType);

    [Theory]
    [InlineData("la semana que viene, del lunes al jueves", "2026-11-21", "2026-11-23", "2026-11-26")]
    [InlineData("del martes al viernes de la semana que viene", "2026-11-25", "2026-12-01", "2026-12-04")]
    [InlineData("next week from monday to wednesday", "2026-11-21", "2026-11-23", "2026-11-25")]
    public void Weekdays_of_next_week(string text, string today, string checkIn, string checkOut)
    {
        var e = X(text, D(today));
        Assert.Equal(D(checkIn), e.CheckIn);
        Assert.Equal(D(checkOut), e.CheckOut);
    }

    [Fact]
    public void Number_words_are_days() =>
        Assert.Equal((D("2026-12-20"), D("2026-12-22")), (X("del veinte al veintidós de diciembre").CheckIn!.Value, X("del veinte al veintidós de diciembre").CheckOut!.Value));

    [Theory]
    [InlineData("no no, mejor del 11 al 13", "2027-01-10", "2027-01-11", "2027-01-13")] // same month as the stay
    [InlineData("mejor del 5 al 7", "2027-01-10", "2027-01-05", "2027-01-07")] // earlier in the same month
    [InlineData("no, mejor del 3 al 5", "2027-01-28", "2027-02-03", "2027-02-05")] // nearest: the next month
    [InlineData("mejor del 30 al 2", "2026-12-27", "2026-12-30", "2027-01-02")] // across the new year
    [InlineData("del 2 al 4", "2026-12-28", "2027-01-02", "2027-01-04")] // forward past the year end
    public void Partial_dates_are_read_against_the_stay_on_the_table(string text, string anchor, string checkIn, string checkOut)
    {
        var (ci, co, nights) = EntityExtractor.ExtractStay(text, Today, D(anchor));
        Assert.Equal(D(checkIn), ci);
        Assert.Equal(D(checkOut), co);
        Assert.Equal(co!.Value.DayNumber - ci!.Value.DayNumber, nights);
    }

    [Theory]
    [InlineData("llegamos el 21, no el 20", "2027-02-20", "2027-02-21", null)] // only the arrival changes
    [InlineData("no el 20 sino el 21", "2027-02-20", "2027-02-21", null)]
    [InlineData("del 11 al 14, no al 13", "2027-01-10", "2027-01-11", "2027-01-14")]
    [InlineData("the 21st, not the 20th", "2027-02-20", "2027-02-21", null)]
    [InlineData("no, del 11 al 13", "2027-01-10", "2027-01-11", "2027-01-13")] // a bare "no" before the only range keeps it
    [InlineData("el 20 no, el 21", "2027-02-20", "2027-02-21", null)] // the agreed day is the one taken back
    [InlineData("llegamos el 21 y no el 20", "2027-02-20", "2027-02-21", null)]
    [InlineData("y si al final llegamos el 15 en vez del 14?", "2027-01-14", "2027-01-15", null)]
    [InlineData("en lugar del 14 mejor el 15", "2027-01-14", "2027-01-15", null)]
    [InlineData("could we arrive on the 15th instead of the 14th", "2027-01-14", "2027-01-15", null)]
    [InlineData("the 15th rather than the 14th", "2027-01-14", "2027-01-15", null)]
    public void A_date_named_only_to_take_it_back_is_not_part_of_the_stay(string text, string anchor, string checkIn, string? checkOut)
    {
        var (ci, co, _) = EntityExtractor.ExtractStay(text, Today, D(anchor));
        Assert.Equal(D(checkIn), ci);
        Assert.Equal(checkOut is null ? null : D(checkOut), co);
    }

    [Fact]
    public void Partial_dates_never_go_before_today() =>
        Assert.Equal(D("2026-12-20"), EntityExtractor.ExtractStay("mejor el 20", Today, D("2026-11-25")).CheckIn);

    [Fact]
    public void A_departure_day_alone_follows_the_agreed_check_in() =>
        Assert.Equal(D("2027-01-14"), EntityExtractor.ExtractStay("hasta el 14", Today, D("2027-01-10")).CheckOut);

    [Theory]
    [InlineData("me cobraron dos veces!!!")]
    [InlineData("me debitaron doble la seña")]
    [InlineData("todavía no me devolvieron la plata")]
    [InlineData("los voy a denunciar en defensa del consumidor")]
    [InlineData("you charged me twice")]
    public void Money_complaints_and_threats_are_strongly_negative(string text) =>
        Assert.True(new NluEngine().Parse(text, Today).Sentiment <= -0.6, text);

    [Theory]
    [InlineData("si cancelo me cobran algo?")]
    [InlineData("cuánto me cobran la noche?")]
    [InlineData("me devuelven la seña si cancelo?")]
    public void Questions_about_charges_are_not_complaints(string text) => Assert.True(new NluEngine().Parse(text, Today).Sentiment > -0.6, text);

    [Theory]
    [InlineData("me van a cobrar algo?", "es")]
    [InlineData("si, cancelala", "es")]
    [InlineData("dale, la doble", "es")]
    [InlineData("Yes, cancel it", "en")]
    [InlineData("What's the difference between the executive room and the double?", "en")]
    public void Language_of_short_messages(string text, string language) => Assert.Equal(language, new NluEngine().Parse(text, Today).Language);
}
