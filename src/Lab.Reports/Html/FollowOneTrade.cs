using System.Net;
using System.Text;
using System.Text.Json;
using Lab.Reports.Writers;

namespace Lab.Reports.Html;

/// <summary>
/// The report's "follow one …" section (<see cref="JourneySet"/>): the default pick's steps in every variant as one
/// table in time order, which works without scripts; <c>follow.js</c> adds a picker, arrow-key stepping, the lanes on
/// one logarithmic time axis and the acting institutions highlighted. Deterministic: the same journeys give the same bytes.
/// </summary>
public static class FollowOneTrade
{
    public static readonly string Script = InteractiveCharts.Resource("Lab.Reports.Html.follow.js");

    public static void Section(StringBuilder h, JourneySet set)
    {
        if (set.Journeys.Count == 0) return;
        var first = set.Journeys[0];
        var noun = set.Noun;
        h.Append($"<section id=\"follow\"><h2>Follow one {E(noun)}</h2>\n");
        h.Append($"<p class=\"note\">One {E(noun)} of the same run in every variant, step by step, with local times in {E(set.Zone)}. "
            + $"<span class=\"js-only\">Press ← and → (or the buttons) to step, pick another {E(noun)} above the lanes; the time axis is logarithmic, so seconds and days both show.</span></p>\n");
        h.Append($"<p class=\"follow-title\"><strong>{E(first.Title)}</strong>");
        if (first.Note.Length > 0) h.Append($" <span class=\"follow-static-note\">{E(first.Note)}</span>");
        h.Append("</p>\n<div class=\"scroll\"><table class=\"follow-steps\"><thead><tr><th>When (local)</th><th>After</th><th>Variant</th><th>What happened</th><th>Who</th></tr></thead><tbody>\n");
        var t0 = first.Lanes.SelectMany(l => l.Steps).Select(s => s.AtSeconds).DefaultIfEmpty(0).Min();
        var rows = first.Lanes.SelectMany((l, li) => l.Steps.Select((s, si) => (Lane: l, Li: li, Si: si, Step: s)))
            .OrderBy(x => x.Step.AtSeconds).ThenBy(x => x.Li).ThenBy(x => x.Si);
        foreach (var r in rows)
            h.Append($"<tr><td>{E(r.Step.Local.Length > 0 ? r.Step.Local : "—")}</td><td>+{E(Human(r.Step.AtSeconds - t0))}</td><td>{E(r.Lane.Variant)}</td><td>{E(r.Step.What)}</td><td>{E(string.Join(", ", r.Step.Who))}</td></tr>\n");
        h.Append("</tbody></table></div>\n</section>\n");
    }

    /// <summary><c>{noun, zone, institutions, journeys: [{title, note, lanes: [{variant, steps: [{t, local, what, who}]}]}]}</c>;
    /// the default encoder escapes &lt; and &gt;, so no text can close the script element holding it.</summary>
    public static string Json(JourneySet set)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteString("noun", set.Noun);
            w.WriteString("zone", set.Zone);
            w.WriteStartArray("institutions");
            foreach (var i in set.Institutions) w.WriteStringValue(i);
            w.WriteEndArray();
            w.WriteStartArray("journeys");
            foreach (var j in set.Journeys)
            {
                w.WriteStartObject();
                w.WriteString("title", j.Title);
                w.WriteString("note", j.Note);
                w.WriteStartArray("lanes");
                foreach (var lane in j.Lanes)
                {
                    w.WriteStartObject();
                    w.WriteString("variant", lane.Variant);
                    w.WriteStartArray("steps");
                    foreach (var s in lane.Steps)
                    {
                        w.WriteStartObject();
                        w.WritePropertyName("t");
                        w.WriteRawValue(RoundTrip.Format(s.AtSeconds) ?? "0");
                        w.WriteString("local", s.Local);
                        w.WriteString("what", s.What);
                        w.WriteStartArray("who");
                        foreach (var x in s.Who) w.WriteStringValue(x);
                        w.WriteEndArray();
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>"0 s", "42 s", "3.5 min", "17.2 h", "2.9 d": the steps' distance from the first.</summary>
    public static string Human(double seconds)
    {
        var a = Math.Abs(seconds);
        string F(double v) => v.ToString(v >= 100 ? "0" : "0.#", System.Globalization.CultureInfo.InvariantCulture);
        return a < 60 ? $"{F(seconds)} s" : a < 3600 ? $"{F(seconds / 60)} min" : a < 86400 ? $"{F(seconds / 3600)} h" : $"{F(seconds / 86400)} d";
    }

    public const string Css = """

        #follow .follow-title { margin: 8px 0; }
        .follow-static-note, .follow-note { color: var(--muted); }
        .js .follow-static-note { display: none; }
        table.follow-steps td:nth-child(-n+2) { white-space: nowrap; font-variant-numeric: tabular-nums; }
        table.follow-steps tr.now td { background: #fff6d6; }
        table.follow-steps tbody tr { cursor: default; }
        .follow-tools { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; font-size: 14px; }
        .follow-tools select { max-width: 100%; font: inherit; }
        .follow-tools button { font: inherit; padding: 2px 10px; border: 1px solid var(--line); background: var(--band); border-radius: 4px; cursor: pointer; color: var(--ink); }
        .follow-lanes { margin: 12px 0 4px; }
        .follow-lane { display: flex; align-items: center; gap: 12px; min-height: 28px; }
        .follow-label { flex: 0 0 180px; font-size: 13px; overflow-wrap: anywhere; }
        .follow-track { position: relative; flex: 1 1 auto; height: 22px; margin-right: 40px; border-bottom: 1px solid var(--line); }
        .follow-axis { border-bottom: none; height: 18px; }
        .follow-dot { position: absolute; top: 5px; width: 12px; height: 12px; margin-left: -6px; border: 2px solid; border-radius: 50%; background: var(--paper); cursor: pointer; }
        .follow-dot.now { transform: scale(1.5); box-shadow: 0 0 0 3px #fff6d6; }
        .follow-tick { position: absolute; transform: translateX(-50%); font-size: 11px; color: var(--muted); white-space: nowrap; }
        .follow-now { font-size: 16px; margin: 8px 0 4px; min-height: 3em; }
        .follow-when { display: block; color: var(--muted); font-size: 14px; }
        .follow-who { display: flex; flex-wrap: wrap; gap: 6px; margin-bottom: 12px; }
        .follow-chip { font-size: 12px; padding: 2px 8px; border-radius: 10px; border: 1px solid var(--line); color: var(--muted); }
        .follow-chip.acting { background: var(--accent); border-color: var(--accent); color: #fff; }

        """;

    private static string E(string s) => WebUtility.HtmlEncode(s);
}
