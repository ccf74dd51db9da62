"""One glTF 2.0 binary buffer being filled: its buffer views and accessors (pygltflib objects).

Shared by the glTF exports of the scene (:mod:`viewer.gltf`) and the 3D Tiles contents
(:mod:`layers.tiles3d.content`): each view starts on an ``align``-byte boundary (4 for glTF; 8
where ``EXT_structural_metadata`` property tables read 64-bit values).
"""

from __future__ import annotations

import io

import numpy as np

#: glTF buffer view targets
ARRAY_BUFFER, ELEMENT_ARRAY_BUFFER = 34962, 34963


class GlbBuffer:
    """A ``GLTF2`` document (:attr:`gltf`) and the bytes of its one buffer (:attr:`blob`)."""

    def __init__(self, align: int = 4) -> None:
        from pygltflib import GLTF2

        self.gltf = GLTF2()
        self.blob = io.BytesIO()
        self.align = align

    def view(self, data: bytes, target: int | None = None) -> int:
        """Append ``data`` as a buffer view (aligned); its index."""
        from pygltflib import BufferView

        self.blob.write(b"\0" * ((-self.blob.tell()) % self.align))
        offset = self.blob.tell()
        self.blob.write(data)
        self.gltf.bufferViews.append(
            BufferView(buffer=0, byteOffset=offset, byteLength=len(data), target=target)
        )
        return len(self.gltf.bufferViews) - 1

    def accessor(
        self,
        array: np.ndarray,
        kind: str,
        component: int,
        *,
        target: int | None = ARRAY_BUFFER,
        normalized: bool = False,
        bounds: bool = False,
    ) -> int:
        """Append ``array`` (glTF ``kind`` such as "VEC3", ``component`` type) as an accessor over a
        new view; ``bounds``: write its min and max (required for positions); its index."""
        from pygltflib import Accessor

        array = np.ascontiguousarray(array)
        count = len(array) if array.ndim > 1 else array.size
        accessor = Accessor(
            bufferView=self.view(array.tobytes(), target),
            componentType=component,
            count=int(count),
            type=kind,
            normalized=normalized or None,
        )
        if bounds:
            accessor.min = [float(v) for v in array.min(axis=0)]
            accessor.max = [float(v) for v in array.max(axis=0)]
        self.gltf.accessors.append(accessor)
        return len(self.gltf.accessors) - 1

    def close_buffer(self) -> None:
        """Pad the blob to 4 bytes and declare it as the document's buffer (once, when complete)."""
        from pygltflib import Buffer

        blob = self.blob.getvalue()
        blob += b"\0" * ((-len(blob)) % 4)
        self.gltf.buffers.append(Buffer(byteLength=len(blob)))
        self.gltf.set_binary_blob(blob)
