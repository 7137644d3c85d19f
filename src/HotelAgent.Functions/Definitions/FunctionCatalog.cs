namespace HotelAgent.Functions.Definitions;

/// <summary>Supplies functions discovered at start (e.g. one per registered orchestrator and activity).</summary>
public interface IFunctionSource
{
    IEnumerable<IFunction> GetFunctions();
}

/// <summary>All functions of the app, from DI. The single source for function.json and for both hosting modes.</summary>
public sealed class FunctionCatalog
{
    private readonly Dictionary<string, IFunction> _byName;

    public FunctionCatalog(IEnumerable<IFunction> functions, IEnumerable<IFunctionSource> sources)
        : this(functions.Concat(sources.SelectMany(s => s.GetFunctions())))
    {
    }

    public FunctionCatalog(IEnumerable<IFunction> functions)
    {
        _byName = new Dictionary<string, IFunction>(StringComparer.OrdinalIgnoreCase);
        foreach (var function in functions)
        {
            if (!_byName.TryAdd(function.Definition.Name, function))
            {
                throw new InvalidOperationException($"Two functions are named {function.Definition.Name}.");
            }
        }
    }

    public IReadOnlyCollection<IFunction> All => _byName.Values;

    public IFunction? Find(string name) => _byName.GetValueOrDefault(name);

    public IEnumerable<T> OfType<T>() where T : IFunction => _byName.Values.OfType<T>().OrderBy(f => f.Definition.Name, StringComparer.Ordinal);
}
