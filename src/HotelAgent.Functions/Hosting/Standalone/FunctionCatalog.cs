using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Extensions.Abstractions;
using Microsoft.DurableTask.Client;

namespace HotelAgent.Functions.Hosting.Standalone;

/// <summary>A <c>[Function]</c> method of this assembly and its trigger attribute.</summary>
public sealed record FunctionDescriptor(string Name, Type Type, MethodInfo Method, BindingAttribute Trigger)
{
    public HttpTriggerAttribute? Http => Trigger as HttpTriggerAttribute;

    public TimerTriggerAttribute? Timer => Trigger as TimerTriggerAttribute;

    public QueueTriggerAttribute? Queue => Trigger as QueueTriggerAttribute;
}

/// <summary>
/// The function app's functions, found the way the worker SDK finds them (<c>[Function]</c> methods and the trigger
/// attribute of a parameter), so standalone serves exactly what <c>functions.metadata</c> declares.
/// </summary>
public static class FunctionCatalog
{
    private static readonly Lazy<IReadOnlyList<FunctionDescriptor>> All = new(() => Discover(typeof(FunctionCatalog).Assembly));

    public static IReadOnlyList<FunctionDescriptor> Functions => All.Value;

    public static IReadOnlyList<FunctionDescriptor> Discover(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var functions = new List<FunctionDescriptor>();
        foreach (var type in assembly.GetExportedTypes().Where(t => t is { IsClass: true, IsAbstract: false }))
        {
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static))
            {
                if (method.GetCustomAttribute<FunctionAttribute>() is not { } function)
                {
                    continue;
                }

                var trigger = method.GetParameters()
                    .SelectMany(p => p.GetCustomAttributes<BindingAttribute>())
                    .Single(a => a is TriggerBindingAttribute);
                functions.Add(new FunctionDescriptor(function.Name, type, method, trigger));
            }
        }

        return functions;
    }
}

/// <summary>What a standalone invocation can bind: the request, a queue message, the durable client, cancellation.</summary>
public sealed record FunctionInputs(DurableTaskClient DurableClient, CancellationToken CancellationToken)
{
    public HttpContext? Http { get; init; }

    public string? QueueMessage { get; init; }
}

/// <summary>Calls a function method as the worker would: a new instance from DI per invocation, parameters bound by type.</summary>
public sealed class FunctionInvoker
{
    private readonly FunctionDescriptor _function;
    private readonly ParameterInfo[] _parameters;
    private readonly PropertyInfo? _taskResult;

    public FunctionInvoker(FunctionDescriptor function)
    {
        ArgumentNullException.ThrowIfNull(function);
        _function = function;
        _parameters = function.Method.GetParameters();
        foreach (var parameter in _parameters)
        {
            if (!CanBind(parameter))
            {
                throw new NotSupportedException($"Function {function.Name}: parameter '{parameter.Name}' ({parameter.ParameterType.Name}) cannot be bound standalone.");
            }
        }

        var returnType = function.Method.ReturnType;
        _taskResult = returnType.IsGenericType && returnType.GetGenericTypeDefinition() == typeof(Task<>) ? returnType.GetProperty(nameof(Task<object>.Result)) : null;
    }

    public FunctionDescriptor Function => _function;

    public async Task<object?> InvokeAsync(IServiceProvider services, FunctionInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        // Not ActivatorUtilities.CreateFactory: it compiles an expression tree per function class, which cost the start
        // path (every invoker is built before Kestrel listens; issue 19) more than reflection costs a call that already
        // invokes its method by reflection.
        var target = _function.Method.IsStatic ? null : ActivatorUtilities.CreateInstance(services, _function.Type);
        var arguments = _parameters.Select(p => Bind(p, inputs)).ToArray();
        var result = _function.Method.Invoke(target, BindingFlags.DoNotWrapExceptions, null, arguments, null);
        if (result is Task task)
        {
            await task;
            return _taskResult?.GetValue(task);
        }

        return result;
    }

    private static bool CanBind(ParameterInfo p) =>
        p.ParameterType == typeof(HttpRequest) || p.ParameterType == typeof(DurableTaskClient) || p.ParameterType == typeof(CancellationToken)
        || p.ParameterType == typeof(TimerInfo) || p.ParameterType == typeof(string);

    private static object? Bind(ParameterInfo p, FunctionInputs inputs)
    {
        if (p.ParameterType == typeof(HttpRequest))
        {
            return inputs.Http?.Request;
        }

        if (p.ParameterType == typeof(DurableTaskClient))
        {
            return inputs.DurableClient;
        }

        if (p.ParameterType == typeof(CancellationToken))
        {
            return inputs.CancellationToken;
        }

        if (p.ParameterType == typeof(TimerInfo))
        {
            return new TimerInfo();
        }

        if (p.GetCustomAttribute<QueueTriggerAttribute>() is not null)
        {
            return inputs.QueueMessage;
        }

        // Route parameters ({id}) bind by name, as under the host.
        return inputs.Http?.Request.RouteValues.TryGetValue(p.Name!, out var value) == true
            ? Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)
            : null;
    }
}
