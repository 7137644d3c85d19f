namespace HotelAgent.Functions; public static class Program { public static void Main() { } }
