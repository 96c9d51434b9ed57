/// The reconcile status as a Prometheus scrape: text exposition format 0.0.4.
///
/// Only the info metric carries the source, the cluster and the revisions: they change
/// with every commit, and as labels on every metric they would start a new series each
/// time. The others have no labels (bar the outcome's), so a query joins on the info
/// metric when it needs them.
public enum PrometheusText {
  /// The metric families, each with `# HELP` and `# TYPE`, ending in a newline.
  ///
  /// A metric with nothing to report yet (no pass has run, none has succeeded) is left out
  /// altogether rather than shown as 0, which an alert would read as a fact.
  public static func render(_ status: ReconcileStatus) -> String {
    var output = ""
    for family in families(status) where !family.samples.isEmpty {
      output += family.text
    }
    return output
  }

  private static func families(_ status: ReconcileStatus) -> [MetricFamily] {
    let last = status.lastPass
    return [
      MetricFamily(
        name: "mktopo_reconcile_passes_total",
        help: "Reconcile passes run, skipped (suspended) passes not counted.",
        type: "counter",
        value: String(status.passes)
      ),
      MetricFamily(
        name: "mktopo_reconcile_failures_total",
        help: "Reconcile passes that failed and need a retry or an operator.",
        type: "counter",
        value: String(status.failures)
      ),
      MetricFamily(
        name: "mktopo_reconcile_changes_applied_total",
        help: "Membership changes carried out by reconcile passes.",
        type: "counter",
        value: String(status.changesApplied)
      ),
      MetricFamily(
        name: "mktopo_reconcile_drift",
        help: "Changes between the cluster and the topology that the last pass to plan left.",
        type: "gauge",
        value: drift(status).map { String($0) }
      ),
      MetricFamily(
        name: "mktopo_reconcile_last_success_timestamp_seconds",
        help: "When the last pass that converged or measured the drift started, as Unix time.",
        type: "gauge",
        value: status.lastSuccessEpoch.map { String($0) }
      ),
      MetricFamily(
        name: "mktopo_reconcile_last_pass_timestamp_seconds",
        help: "When the last pass started, as Unix time.",
        type: "gauge",
        value: last.map { String($0.startedAtEpoch) }
      ),
      MetricFamily(
        name: "mktopo_reconcile_last_pass_duration_seconds",
        help: "How long the last pass took, in seconds.",
        type: "gauge",
        value: last.map { seconds(milliseconds: $0.durationMilliseconds) }
      ),
      MetricFamily(
        name: "mktopo_reconcile_suspended",
        help: "1 while reconciling is suspended, 0 otherwise.",
        type: "gauge",
        value: status.suspended ? "1" : "0"
      ),
      MetricFamily(
        name: "mktopo_reconcile_last_outcome",
        help: "1 for the outcome of the last pass, 0 for every other outcome.",
        type: "gauge",
        // Every outcome has a sample, so a query can tell "not converged" from "no data".
        samples: last.map { pass in
          PassOutcome.allCases.map { outcome in
            Sample(
              labels: [("outcome", outcome.rawValue)],
              value: outcome == pass.outcome ? "1" : "0"
            )
          }
        } ?? []
      ),
      MetricFamily(
        name: "mktopo_reconcile_info",
        help: "The source, the cluster and the revisions read and applied; always 1.",
        type: "gauge",
        samples: [
          Sample(
            labels: [
              ("source", status.source),
              ("cluster", status.cluster ?? ""),
              ("attempted_revision", status.lastAttemptedRevision ?? ""),
              ("applied_revision", status.lastAppliedRevision ?? ""),
            ],
            value: "1"
          )
        ]
      ),
    ]
  }

  /// The drift the last pass to plan left; nil before any pass planned.
  ///
  /// A pass that stopped before planning (the source could not be read, say) keeps the
  /// last known value, so an alert on drift does not clear while nobody can look.
  private static func drift(_ status: ReconcileStatus) -> Int? {
    status.lastDrift
  }

  /// Decimal seconds, exact to the millisecond: 1234 is "1.234", 5 is "0.005".
  static func seconds(milliseconds: Int64) -> String {
    let sign = milliseconds < 0 ? "-" : ""
    let magnitude = milliseconds.magnitude
    let fraction = String(magnitude % 1000)
    return sign + String(magnitude / 1000) + "."
      + String(repeating: "0", count: 3 - fraction.count) + fraction
  }

  /// A label value with backslash, double quote and line feed escaped, as 0.0.4 requires.
  static func escapedLabelValue(_ text: String) -> String {
    var escaped = ""
    for character in text.unicodeScalars {
      switch character {
      case "\\": escaped += "\\\\"
      case "\"": escaped += "\\\""
      case "\n": escaped += "\\n"
      default: escaped.unicodeScalars.append(character)
      }
    }
    return escaped
  }
}

/// One sample: its labels, in order, and its value as written.
private struct Sample {
  var labels: [(String, String)]
  var value: String
}

/// A metric's help, type and samples; one family per metric name.
private struct MetricFamily {
  var name: String
  var help: String
  var type: String
  var samples: [Sample]

  init(name: String, help: String, type: String, samples: [Sample]) {
    self.name = name
    self.help = help
    self.type = type
    self.samples = samples
  }

  /// A metric with one unlabelled sample, or none when `value` is nil.
  init(name: String, help: String, type: String, value: String?) {
    self.init(
      name: name,
      help: help,
      type: type,
      samples: value.map { [Sample(labels: [], value: $0)] } ?? []
    )
  }

  var text: String {
    // HELP text escapes only backslash and line feed; the texts are ours, but stay safe.
    let escapedHelp = help.replacing("\\", with: "\\\\").replacing("\n", with: "\\n")
    var output = "# HELP \(name) \(escapedHelp)\n# TYPE \(name) \(type)\n"
    for sample in samples {
      output += name
      if !sample.labels.isEmpty {
        let pairs = sample.labels.map { name, value in
          name + "=\"" + PrometheusText.escapedLabelValue(value) + "\""
        }
        output += "{" + pairs.joined(separator: ",") + "}"
      }
      output += " " + sample.value + "\n"
    }
    return output
  }
}
