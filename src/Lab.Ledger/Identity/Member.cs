namespace Lab.Ledger.Identity;

/// <summary>One consortium member: the node name it runs as and its role.</summary>
public sealed record Member(string Name, Role Role);
