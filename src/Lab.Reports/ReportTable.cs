namespace Lab.Reports;

/// <summary>A table a model adds to the report (e.g. a scenario's who-can-read matrix): a title, column headers,
/// rows of cells as text, and a note under it.</summary>
public sealed record ReportTable(string Title, IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string>> Rows, string Note = "");
