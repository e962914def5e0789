namespace Mode.Generators.Models;

/// <summary>
/// One annotated member together with its (valid) service class: the output of one attribute
/// provider, before the members are grouped by class.
/// </summary>
/// <typeparam name="TModel">The member's model.</typeparam>
/// <param name="Type">The service class.</param>
/// <param name="Model">The member.</param>
/// <param name="Order">Where the member is declared; used to order dependencies, then dropped.</param>
internal sealed record ServiceMember<TModel>(TypeHierarchy Type, TModel Model, DeclarationOrder Order)
    where TModel : IEquatable<TModel>;
