package io.watchsync.repo.sign;

import io.watchsync.repo.files.IoErrors;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPPublicKeyRingCollection;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;

/**
 * The public keys packages must be signed by, read from armored key files ({@code RPM-GPG-KEY-*},
 * as {@code gpgkey=} names them). Every primary key and subkey of every file counts.
 */
public final class TrustedKeys {
  private final Map<Long, PGPPublicKey> byId;

  private TrustedKeys(Map<Long, PGPPublicKey> byId) {
    this.byId = byId;
  }

  /** Reads every key of {@code files}; a file without a public key is a config error. */
  public static TrustedKeys read(List<Path> files) throws SigningException {
    if (files.isEmpty()) {
      throw SigningException.config("no public key given; name the signing key with --gpgkey");
    }
    Map<String, byte[]> armored = new LinkedHashMap<>();
    for (Path file : files) {
      try {
        armored.put(file.toString(), Files.readAllBytes(file));
      } catch (NoSuchFileException e) {
        throw SigningException.config(file + ": no such file");
      } catch (IOException e) {
        throw SigningException.config(file + ": cannot read: " + IoErrors.reason(e));
      }
    }
    return parse(armored);
  }

  /**
   * The keys of armored key files already in memory (downloaded from a .repo file's gpgkey= URLs,
   * say), each under the name messages use for it.
   */
  public static TrustedKeys parse(Map<String, byte[]> armoredByName) throws SigningException {
    if (armoredByName.isEmpty()) {
      throw SigningException.config("no public key given; name the signing key with --gpgkey");
    }
    Map<Long, PGPPublicKey> byId = new HashMap<>();
    for (Map.Entry<String, byte[]> e : armoredByName.entrySet()) {
      int before = byId.size();
      try (InputStream in =
          PGPUtil.getDecoderStream(new java.io.ByteArrayInputStream(e.getValue()))) {
        PGPPublicKeyRingCollection rings =
            new PGPPublicKeyRingCollection(in, new BcKeyFingerprintCalculator());
        for (Iterator<PGPPublicKeyRing> r = rings.getKeyRings(); r.hasNext(); ) {
          for (Iterator<PGPPublicKey> k = r.next().getPublicKeys(); k.hasNext(); ) {
            PGPPublicKey key = k.next();
            byId.put(key.getKeyID(), key);
          }
        }
      } catch (IOException | PGPException | RuntimeException x) {
        throw SigningException.config(e.getKey() + ": not an armored OpenPGP public key");
      }
      if (byId.size() == before) {
        throw SigningException.config(e.getKey() + ": holds no public key");
      }
    }
    return new TrustedKeys(Map.copyOf(byId));
  }

  /** The key with that id, or null when it is not one of these. */
  public PGPPublicKey find(long keyId) {
    return byId.get(keyId);
  }

  /** The ids of the keys, for messages. */
  public List<String> ids() {
    List<String> ids = new ArrayList<>();
    byId.keySet().stream().sorted().forEach(id -> ids.add(KeyIds.format(id)));
    return ids;
  }
}
