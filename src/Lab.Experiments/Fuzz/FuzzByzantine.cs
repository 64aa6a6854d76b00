namespace Lab.Experiments.Fuzz;

/// <summary>One Byzantine replica of a generated configuration, as an entry of <c>byzantine:</c>.</summary>
public sealed record FuzzByzantine(string Node, string Behaviour, bool Collude);
