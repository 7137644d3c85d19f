using Microsoft.Data.Sqlite;

namespace HotelAgent.Core.Storage;

/// <summary>Commands from constant SQL text and named values (the one place that binds parameters).</summary>
public static class SqliteCommands
{
    /// <summary>A new command on <paramref name="connection"/> (the caller disposes it).</summary>
    public static SqliteCommand Create(SqliteConnection connection, string sql, params ReadOnlySpan<(string Name, object? Value)> args)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var command = connection.CreateCommand();
#pragma warning disable CA2100 // SQL text comes from the calling store's constants; values are parameters.
        command.CommandText = sql;
#pragma warning restore CA2100
        Bind(command, args);
        return command;
    }

    /// <summary>Replaces the command's parameters with <paramref name="args"/> (null → <c>NULL</c>).</summary>
    public static void Bind(SqliteCommand command, params ReadOnlySpan<(string Name, object? Value)> args)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Parameters.Clear();
        foreach (var (name, value) in args)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
    }

    /// <summary>Positional values as the parameters <c>$p0</c>, <c>$p1</c>, ... (for SQL written with those names).</summary>
    public static (string Name, object? Value)[] Positional(IReadOnlyList<object?> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var parameters = new (string Name, object? Value)[args.Count];
        for (var i = 0; i < args.Count; i++)
        {
            parameters[i] = ("$p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), args[i]);
        }

        return parameters;
    }
}
