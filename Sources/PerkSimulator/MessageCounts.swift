import PerkRuntime

/// Messages of a simulation (all months, or one): sent and suppressed by rule then channel,
/// deferred by quiet hours.
package struct MessageCounts: Sendable, Equatable {
  package var sent: [String: [String: Int64]] = [:]
  package var suppressed: [String: [String: Int64]] = [:]
  package var deferred: Int64 = 0
  /// What the messages sent cost (minor units), by rule then channel; only channels with a cost.
  package var cost: [String: [String: Int64]] = [:]

  package init() {}

  /// Whether no message fell due (the reports then leave messages out).
  package var isEmpty: Bool { sent.isEmpty && suppressed.isEmpty && deferred == 0 }
  package var sentTotal: Int64 { sent.values.reduce(0) { $0 &+ $1.values.reduce(0, &+) } }
  package var suppressedTotal: Int64 { suppressed.values.reduce(0) { $0 &+ $1.values.reduce(0, &+) } }

  /// Counts an outcome's messages; `costs` is what one costs per channel.
  package mutating func count(_ outcome: Outcome, costs: [MessageChannel: Int64]) {
    for message in outcome.messages {
      sent[message.rule, default: [:]][message.channel.rawValue, default: 0] &+= 1
      if message.deferredFrom != nil { deferred &+= 1 }
      if let minor = costs[message.channel], minor != 0 { cost[message.rule, default: [:]][message.channel.rawValue, default: 0] &+= minor }
    }
    for message in outcome.suppressedMessages {
      suppressed[message.rule, default: [:]][message.channel.rawValue, default: 0] &+= 1
    }
  }

  package mutating func add(_ other: MessageCounts) {
    for (rule, channels) in other.sent {
      for (channel, n) in channels { sent[rule, default: [:]][channel, default: 0] &+= n }
    }
    for (rule, channels) in other.suppressed {
      for (channel, n) in channels { suppressed[rule, default: [:]][channel, default: 0] &+= n }
    }
    deferred &+= other.deferred
    for (rule, channels) in other.cost {
      for (channel, n) in channels { cost[rule, default: [:]][channel, default: 0] &+= n }
    }
  }

  /// (rule, channel, sent, suppressed) rows in rule then channel order.
  package var rows: [(rule: String, channel: String, sent: Int64, suppressed: Int64, cost: Int64)] {
    var keys = Set<[String]>()
    for (rule, channels) in sent { for channel in channels.keys { keys.insert([rule, channel]) } }
    for (rule, channels) in suppressed { for channel in channels.keys { keys.insert([rule, channel]) } }
    return keys.sorted { ($0[0], $0[1]) < ($1[0], $1[1]) }.map {
      ($0[0], $0[1], sent[$0[0]]?[$0[1]] ?? 0, suppressed[$0[0]]?[$0[1]] ?? 0, cost[$0[0]]?[$0[1]] ?? 0)
    }
  }
}
