import Foundation

/// The shared corpus folder, found from this file's path (not SwiftPM resources), so every test target can use it.
enum Corpus {
    static let root: URL = {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while url.path != "/" {
            let candidate = url.appendingPathComponent("Fixtures/corpus")
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
            url = url.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../Fixtures/corpus")
    }()

    /// Every message file, as a path relative to the corpus root (README excluded), sorted.
    static let files: [String] = {
        let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey])
        var paths: [String] = []
        while let url = enumerator?.nextObject() as? URL {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true,
                  url.lastPathComponent != "README.md" else { continue }
            paths.append(String(url.standardizedFileURL.path.dropFirst(root.standardizedFileURL.path.count + 1)))
        }
        return paths.sorted()
    }()

    static func data(_ path: String) -> Data {
        (try? Data(contentsOf: root.appendingPathComponent(path))) ?? Data()
    }
}
