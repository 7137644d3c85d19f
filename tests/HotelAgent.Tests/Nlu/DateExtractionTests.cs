using HotelAgent.Core.Nlu;

namespace HotelAgent.Tests.Nlu;

public class DateExtractionTests
{
    // 2026-11-21 is a Saturday
    private static readonly DateOnly Today = new(2026, 11, 21);

    private static NluEntities X(string text, DateOnly? today = null) => EntityExtractor.Extract(text, today ?? Today);

    private static DateOnly D(string iso) => DateOnly.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("para el 15 de diciembre", "2026-12-15")]
    [InlineData("llego el 2026-12-15", "2026-12-15")]
    [InlineData("el 15/12", "2026-12-15")]
    [InlineData("el 5/1", "2027-01-05")]
    [InlineData("el 03/02/2027", "2027-02-03")]
    [InlineData("on december 15", "2026-12-15")]
    [InlineData("on the 15th of december", "2026-12-15")]
    [InlineData("diciembre 15", "2026-12-15")]
    [InlineData("el 15 dic", "2026-12-15")]
    [InlineData("el quince de diciembre", "2026-12-15")]
    [InlineData("hoy", "2026-11-21")]
    [InlineData("para esta noche", "2026-11-21")]
    [InlineData("tonight", "2026-11-21")]
    [InlineData("para mañana", "2026-11-22")]
    [InlineData("tomorrow", "2026-11-22")]
    [InlineData("pasado mañana", "2026-11-23")]
    [InlineData("el viernes", "2026-11-27")]
    [InlineData("next friday", "2026-11-27")]
    [InlineData("el lunes", "2026-11-23")]
    [InlineData("la semana que viene", "2026-11-23")]
    [InlineData("la próxima semana", "2026-11-23")]
    [InlineData("next week", "2026-11-23")]
    public void Single_dates_resolve_against_today(string text, string expected)
    {
        var e = X(text);
        Assert.Equal(D(expected), e.CheckIn);
        Assert.Null(e.Guests);
    }

    [Fact]
    public void Weekday_with_day_number_uses_the_day() => Assert.Equal(D("2026-12-08"), X("para el martes 8").CheckIn);

    [Fact]
    public void Month_named_apart_applies_to_a_day_range()
    {
        var e = X("quiero ir en enero, del 15 al 20");
        Assert.Equal(D("2027-01-15"), e.CheckIn);
        Assert.Equal(D("2027-01-20"), e.CheckOut);
    }

    [Fact]
    public void Ages_of_children_are_not_dates()
    {
        var e = X("somos 2 adultos y 2 nenes de 8 y 10 años, queremos ir del 3 al 8 de enero");
        Assert.Equal(D("2027-01-03"), e.CheckIn);
        Assert.Equal(D("2027-01-08"), e.CheckOut);
        Assert.Equal(4, e.Guests);
    }

    [Fact]
    public void Weekday_equal_to_today_means_next_week() => Assert.Equal(D("2026-11-28"), X("el sábado").CheckIn);

    [Fact]
    public void Hasta_manana_as_farewell_is_not_a_date() => Assert.Null(X("gracias, hasta mañana").CheckOut);

    [Fact]
    public void Hasta_manana_in_a_stay_is_a_check_out() => Assert.Equal(D("2026-11-22"), X("me quedo hasta mañana").CheckOut);

    [Fact]
    public void Manana_as_morning_is_not_a_date() => Assert.Null(X("a qué hora abren por la mañana?").CheckIn);

    [Theory]
    [InlineData("el 25", "2026-11-25")] // later this month
    [InlineData("el 21", "2026-11-21")] // today is not in the past
    [InlineData("el 5", "2026-12-05")] // month rollover
    [InlineData("el 20", "2026-12-20")] // past day this month -> next month
    [InlineData("15 de noviembre", "2027-11-15")] // past date this year -> next year
    [InlineData("29 de febrero", "2028-02-29")] // next leap year
    public void Date_without_month_or_year_is_the_next_one_not_in_the_past(string text, string expected) =>
        Assert.Equal(D(expected), X(text).CheckIn);

    [Fact]
    public void Year_rollover_for_day_only() => Assert.Equal(D("2027-01-03"), X("el 3", new DateOnly(2026, 12, 28)).CheckIn);

    [Fact]
    public void Year_rollover_for_day_and_month() => Assert.Equal(D("2027-01-15"), X("el 15 de enero", new DateOnly(2026, 12, 28)).CheckIn);

    [Fact]
    public void Day_29_skips_a_february_without_it() => Assert.Equal(D("2027-03-29"), X("el 29", new DateOnly(2027, 2, 10)).CheckIn);

    [Fact]
    public void Day_31_skips_short_months() => Assert.Equal(D("2026-05-31"), X("el 31", new DateOnly(2026, 4, 5)).CheckIn);

    [Fact]
    public void Explicit_feb_29_in_non_leap_year_is_ignored() => Assert.Null(X("el 29/02/2027").CheckIn);

    [Theory]
    [InlineData("del 10 al 15", "2026-12-10", "2026-12-15", 5)]
    [InlineData("entrando el 15 y saliendo el 18", "2026-12-15", "2026-12-18", 3)]
    [InlineData("10 al 13 de diciembre", "2026-12-10", "2026-12-13", 3)]
    [InlineData("del 28 al 2", "2026-11-28", "2026-12-02", 4)] // end wraps to next month
    [InlineData("del 30 de diciembre al 2 de enero", "2026-12-30", "2027-01-02", 3)] // year rollover
    [InlineData("entre el 2 y el 6 de marzo", "2027-03-02", "2027-03-06", 4)]
    [InlineData("from jan 3 to jan 6", "2027-01-03", "2027-01-06", 3)]
    [InlineData("del 24/12 al 26/12", "2026-12-24", "2026-12-26", 2)]
    [InlineData("llego el viernes y me voy el domingo", "2026-11-27", "2026-11-29", 2)]
    [InlineData("el próximo fin de semana", "2026-11-27", "2026-11-29", 2)]
    [InlineData("el finde", "2026-11-27", "2026-11-29", 2)]
    [InlineData("next weekend", "2026-11-27", "2026-11-29", 2)]
    [InlineData("el primer finde de enero", "2027-01-01", "2027-01-03", 2)]
    [InlineData("el último fin de semana de diciembre", "2026-12-25", "2026-12-27", 2)]
    [InlineData("the second weekend of january", "2027-01-08", "2027-01-10", 2)]
    [InlineData("de mañana a 3 noches", "2026-11-22", "2026-11-25", 3)]
    [InlineData("del 5 al 7 d enero", "2027-01-05", "2027-01-07", 2)]
    [InlineData("desde el 8 de enero, en vez de 2 noches son 3", "2027-01-08", "2027-01-11", 3)]
    [InlineData("room for 1, dec 12-14?", "2026-12-12", "2026-12-14", 2)]
    [InlineData("hay lugar del 12-14 de enero para 2?", "2027-01-12", "2027-01-14", 2)]
    [InlineData("anything jan 3-5 for 2 people?", "2027-01-03", "2027-01-05", 2)]
    [InlineData("tienen para 2, 20-22/12?", "2026-12-20", "2026-12-22", 2)]
    [InlineData("para 2, dic 20 al 23", "2026-12-20", "2026-12-23", 3)]
    [InlineData("del 3-5 de enero", "2027-01-03", "2027-01-05", 2)]
    public void Ranges(string text, string checkIn, string checkOut, int nights)
    {
        var e = X(text);
        Assert.Equal(D(checkIn), e.CheckIn);
        Assert.Equal(D(checkOut), e.CheckOut);
        Assert.Equal(nights, e.Nights);
    }

    [Theory]
    [InlineData("el finde largo de carnaval, del 6 al 9 de febrero", "2027-02-06", "2027-02-09")]
    [InlineData("this long weekend, from february 12 to 15", "2027-02-12", "2027-02-15")]
    [InlineData("para el fin de semana del 5/12 al 7/12", "2026-12-05", "2026-12-07")]
    public void Explicit_days_win_over_a_weekend_that_only_names_them(string text, string checkIn, string checkOut)
    {
        var e = X(text);
        Assert.Equal(D(checkIn), e.CheckIn);
        Assert.Equal(D(checkOut), e.CheckOut);
    }

    [Theory]
    [InlineData("tienen lugar para el finde largo de carnaval? somos 2")]
    [InlineData("el finde de semana santa")]
    [InlineData("do you have a room over the easter weekend?")]
    [InlineData("algún finde de enero")]
    public void A_weekend_named_by_a_holiday_or_a_month_alone_is_never_the_next_weekend(string text)
    {
        var e = X(text);
        Assert.Null(e.CheckIn);
        Assert.Null(e.CheckOut);
    }

    [Fact]
    public void Llego_de_manana_is_the_morning_not_tomorrow() => Assert.Null(X("llego de mañana").CheckIn);

    [Theory]
    [InlineData(2026, "2026-04-05")]
    [InlineData(2027, "2027-03-28")]
    [InlineData(2028, "2028-04-16")]
    public void Easter_is_computed(int year, string expected) => Assert.Equal(D(expected), HolidayPeriods.Easter(year));

    [Fact]
    public void The_carnival_long_weekend_is_found_with_its_days()
    {
        var p = HolidayPeriods.Find("hay lugar el finde largo de carnaval", Today);
        Assert.NotNull(p);
        Assert.Equal(D("2027-02-06"), p.First); // Saturday before carnival Monday 8 and Tuesday 9 February 2027
        Assert.Equal(D("2027-02-09"), p.Last);
        Assert.Null(HolidayPeriods.Find("hay lugar el finde", Today));
    }

    [Fact]
    public void Weekend_is_the_friday_after_today_even_on_a_friday()
    {
        var e = X("el finde", new DateOnly(2026, 11, 27));
        Assert.Equal(D("2026-12-04"), e.CheckIn);
        Assert.Equal(D("2026-12-06"), e.CheckOut);
    }

    [Fact]
    public void Range_start_in_previous_month_when_only_end_has_month()
    {
        var e = X("del 28 al 3 de enero");
        Assert.Equal(D("2026-12-28"), e.CheckIn);
        Assert.Equal(D("2027-01-03"), e.CheckOut);
    }

    [Fact]
    public void Al_15_without_start_is_only_a_check_out()
    {
        var e = X("al 15");
        Assert.Null(e.CheckIn);
        Assert.Equal(D("2026-12-15"), e.CheckOut);
        Assert.Null(e.Nights);
    }

    [Fact]
    public void Hasta_weekday_is_a_check_out() => Assert.Equal(D("2026-11-22"), X("me quedo hasta el domingo").CheckOut);

    [Fact]
    public void Al_15_with_nights_derives_check_in()
    {
        var e = X("al 15, 3 noches");
        Assert.Equal(D("2026-12-12"), e.CheckIn);
        Assert.Equal(D("2026-12-15"), e.CheckOut);
    }

    [Theory]
    [InlineData("desde mañana por 3 noches", "2026-11-22", "2026-11-25", 3)]
    [InlineData("el 3 de enero por dos noches", "2027-01-03", "2027-01-05", 2)]
    [InlineData("una semana desde el 3 de enero", "2027-01-03", "2027-01-10", 7)]
    [InlineData("2 semanas desde el lunes", "2026-11-23", "2026-12-07", 14)]
    [InlineData("for 3 nights from jan 5", "2027-01-05", "2027-01-08", 3)]
    public void Durations_give_check_out(string text, string checkIn, string checkOut, int nights)
    {
        var e = X(text);
        Assert.Equal(D(checkIn), e.CheckIn);
        Assert.Equal(D(checkOut), e.CheckOut);
        Assert.Equal(nights, e.Nights);
    }

    [Theory]
    [InlineData("3 noches", 3)]
    [InlineData("tres noches", 3)]
    [InlineData("una noche", 1)]
    [InlineData("una semana", 7)]
    [InlineData("dos semanas", 14)]
    [InlineData("por 4 días", 4)]
    [InlineData("me voy a quedar 10 días", 10)]
    [InlineData("we'll stay 5 days", 5)]
    [InlineData("one more night", 1)]
    [InlineData("una noche más", 1)]
    public void Nights_without_dates(string text, int nights)
    {
        var e = X(text);
        Assert.Equal(nights, e.Nights);
        Assert.Null(e.CheckIn);
    }

    [Theory]
    [InlineData("cobran si cancelo con una semana de anticipación?")]
    [InlineData("a qué hora es el check in?")]
    [InlineData("están a 5 cuadras del subte?")]
    [InlineData("llego en 3 días")]
    [InlineData("somos 4")]
    [InlineData("la 2")]
    public void No_dates_where_there_are_none(string text)
    {
        var e = X(text);
        Assert.Null(e.CheckIn);
        Assert.Null(e.CheckOut);
        Assert.Null(e.Nights);
    }
}
