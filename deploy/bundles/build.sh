#!/bin/sh
# The one-shot `bundle-builder` of deploy/compose.scaled.yml, in the ictgate image: builds the
# signed bundle of the policies the image carries, checks it, and writes OPA's configuration
# with the public key. The key pair is the operator's (docs/deployment.md, "Bundle signing keys").
set -eu
ictgate bundle build --output /srv/bundles/ictgate.tar.gz \
    --signing-key /keys/bundle-signing.pem --key-id ictgate-bundle
ictgate bundle verify /srv/bundles/ictgate.tar.gz --public-key /keys/bundle-signing.pub
python - <<'PY'
import json

template = open("/deploy/opa/config.template.yaml", encoding="utf-8").read()
key = open("/keys/bundle-signing.pub", encoding="utf-8").read()
# A JSON string is a YAML double-quoted scalar: the PEM's newlines survive as \n.
config = template.replace('"@PUBLIC_KEY@"', json.dumps(key))
open("/srv/opa-config/config.yaml", "w", encoding="utf-8").write(config)
PY
