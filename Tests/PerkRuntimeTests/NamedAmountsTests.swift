import Foundation
import Testing
@testable import PerkRuntime

/// `NamedAmounts` must behave exactly like the `[String: Int64]` it replaced in purchase records.
@Suite struct NamedAmountsTests {
  @Test func readsWritesAndRemovesLikeADictionary() {
    var amounts = NamedAmounts()
    #expect(amounts.isEmpty)
    amounts["stars"] = 9
    amounts["miles"] = 4
    amounts["gems"] = 2
    #expect(amounts["stars"] == 9 && amounts["miles"] == 4 && amounts["gems"] == 2 && amounts["none"] == nil)
    amounts["stars"] = nil  // the inline entry goes; the smallest name of the rest takes its place
    #expect(amounts.dictionary == ["miles": 4, "gems": 2])
    amounts["gems"] = 3
    amounts["miles"] = nil
    #expect(amounts.dictionary == ["gems": 3])
    amounts["gems"] = nil
    #expect(amounts.isEmpty && amounts.dictionary.isEmpty)
  }

  @Test func equalityAndHashIgnoreTheOrderOfWriting() {
    let a: NamedAmounts = ["stars": 1, "miles": 2]
    let b: NamedAmounts = ["miles": 2, "stars": 1]
    #expect(a == b)
    #expect(a.hashValue == b.hashValue)
    #expect(a != ["stars": 1])
    #expect(NamedAmounts(["x": 5, "y": 6]) == ["y": 6, "x": 5])
  }

  @Test func encodesAsTheDictionaryItStandsFor() throws {
    let amounts: NamedAmounts = ["stars": 7, "miles": 3]
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    let json = String(decoding: try encoder.encode(amounts), as: UTF8.self)
    #expect(json == #"{"miles":3,"stars":7}"#)
    #expect(try JSONDecoder().decode(NamedAmounts.self, from: Data(json.utf8)) == amounts)
    #expect(try JSONDecoder().decode(NamedAmounts.self, from: Data("{}".utf8)).isEmpty)
  }

  @Test func iteratesInNameOrderWhateverTheOrderOfWriting() {
    var amounts = NamedAmounts()
    amounts["stars"] = 4
    amounts["miles"] = 9
    amounts["air"] = 1
    #expect(amounts.names == ["air", "miles", "stars"])
    #expect(amounts.map { "\($0.name)=\($0.amount)" } == ["air=1", "miles=9", "stars=4"])
    #expect(amounts["miles", default: 0] == 9)
    #expect(amounts["points", default: -1] == -1)
    let one: NamedAmounts = ["stars": 3]
    #expect(one.names == ["stars"])
    #expect(Array(NamedAmounts()).isEmpty)
  }
}
