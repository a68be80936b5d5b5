// Bounded random-input testing: a seeded generator and byte mutations of real inputs.
//
// Tests/MIMETests/Fuzzing.swift is a symbolic link to this file: the MIME tests build with the MIME
// module alone (GMAIL_TUI_ONLY=MIME), without TestSupport and its network dependencies.

/// SplitMix64: a small seeded generator, so every run of a fuzz test feeds the same inputs.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Mutations of real inputs: the shapes that break parsers (cut short, bytes flipped, structure
/// repeated or spliced, tokens of the format dropped in at random places).
public struct ByteMutator: Sendable {
    /// Byte strings meaningful to the format under test (delimiters, keywords, escapes).
    public var tokens: [[UInt8]]
    /// The longest mutated input produced.
    public var maximumLength: Int

    public init(tokens: [String], maximumLength: Int = 256 * 1024) {
        self.tokens = tokens.map { Array($0.utf8) } + [[0x00], [0xFF], [0x0D], [0x0A], [0x0D, 0x0A], [0x09], [0x80], [0xC3], [0xE2, 0x82]]
        self.maximumLength = maximumLength
    }

    /// `input` with one to four random mutations.
    public func mutate<G: RandomNumberGenerator>(_ input: [UInt8], using rng: inout G) -> [UInt8] {
        var bytes = input
        for _ in 0..<Int.random(in: 1...4, using: &rng) { mutateOnce(&bytes, using: &rng) }
        if bytes.count > maximumLength { bytes.removeLast(bytes.count - maximumLength) }
        return bytes
    }

    private func mutateOnce<G: RandomNumberGenerator>(_ bytes: inout [UInt8], using rng: inout G) {
        let position = bytes.isEmpty ? 0 : Int.random(in: 0..<bytes.count, using: &rng)
        switch Int.random(in: 0..<8, using: &rng) {
        case 0 where !bytes.isEmpty:
            bytes[position] ^= UInt8(1 << Int.random(in: 0..<8, using: &rng))
        case 1 where !bytes.isEmpty:
            bytes[position] = UInt8.random(in: 0...255, using: &rng)
        case 2:
            bytes.insert(contentsOf: tokens[Int.random(in: 0..<tokens.count, using: &rng)], at: position)
        case 3 where !bytes.isEmpty:
            let end = min(bytes.count, position + Int.random(in: 1...64, using: &rng))
            bytes.removeSubrange(position..<end)
        case 4 where !bytes.isEmpty:
            // Repeat a stretch (nested or repeated structure).
            let end = min(bytes.count, position + Int.random(in: 1...256, using: &rng))
            let stretch = bytes[position..<end]
            for _ in 0..<Int.random(in: 1...8, using: &rng) { bytes.insert(contentsOf: stretch, at: position) }
        case 5:
            bytes.removeLast(bytes.count - position)
        case 6:
            bytes.insert(contentsOf: (0..<Int.random(in: 1...32, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }, at: position)
        default:
            // Swap two stretches' order by moving one to a random place.
            guard bytes.count > 2 else { return }
            let end = min(bytes.count, position + Int.random(in: 1...128, using: &rng))
            let stretch = Array(bytes[position..<end])
            bytes.removeSubrange(position..<end)
            bytes.insert(contentsOf: stretch, at: Int.random(in: 0...bytes.count, using: &rng))
        }
    }

    /// Random bytes, biased towards the format's tokens and printable ASCII.
    public func randomInput<G: RandomNumberGenerator>(maximumLength: Int, using rng: inout G) -> [UInt8] {
        var bytes: [UInt8] = []
        let length = Int.random(in: 0...maximumLength, using: &rng)
        while bytes.count < length {
            switch Int.random(in: 0..<4, using: &rng) {
            case 0: bytes += tokens[Int.random(in: 0..<tokens.count, using: &rng)]
            case 1: bytes.append(UInt8.random(in: 0...255, using: &rng))
            default: bytes.append(UInt8.random(in: 0x20...0x7E, using: &rng))
            }
        }
        return bytes
    }
}
