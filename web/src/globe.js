// The 3D globe: the Earth (land drawn from the packaged Natural Earth outlines, no image
// or tile download), every catalog object as a point moving between two server-computed
// ITRF positions 60 s apart, picking, orbit and encounter lines, and a frame-rate meter.
// Scene units: 1 = 1000 km; ITRF (x, y, z) is drawn as three.js (x, z, -y), y up.
import * as THREE from "three";
import { OrbitControls } from "three/examples/jsm/controls/OrbitControls.js";

const EARTH_RADIUS = 6.378137; // 1000 km
export const TYPE_COLORS = {
  PAYLOAD: 0x4ade80, "ROCKET BODY": 0xf59e0b, DEBRIS: 0xef4444, UNKNOWN: 0x9ca3af,
};

function toScene(x, y, z) {
  return new THREE.Vector3(x / 1000, z / 1000, -y / 1000);
}

function ownerColor(owner) {
  let h = 0;
  for (const c of owner || "?") h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return new THREE.Color().setHSL((h % 360) / 360, 0.7, 0.6).getHex();
}

export class Globe {
  constructor(container, onPick) {
    this.container = container;
    this.onPick = onPick;
    this.renderer = new THREE.WebGLRenderer({ antialias: false });
    this.renderer.setPixelRatio(Math.min(window.devicePixelRatio, 2));
    container.appendChild(this.renderer.domElement);
    this.scene = new THREE.Scene();
    this.scene.background = new THREE.Color(0x05070d);
    this.camera = new THREE.PerspectiveCamera(45, 1, 0.1, 2000);
    this.camera.position.set(0, 12, 30);
    this.controls = new OrbitControls(this.camera, this.renderer.domElement);
    this.controls.minDistance = 7.5;
    this.controls.maxDistance = 300;
    this.scene.add(new THREE.AmbientLight(0xffffff, 2.5));
    this.earth = new THREE.Mesh(
      new THREE.SphereGeometry(EARTH_RADIUS, 96, 64),
      new THREE.MeshBasicMaterial({ color: 0x1e3a5f }),
    );
    this.scene.add(this.earth);
    this.points = null;
    this.lines = new THREE.Group();
    this.scene.add(this.lines);
    this.frames = 0;
    this.fps = 0;
    this.lastFpsTime = performance.now();
    this.visibleTypes = new Set(Object.keys(TYPE_COLORS));
    this.colorBy = "type";
    this.raycaster = new THREE.Raycaster();
    this.raycaster.params.Points.threshold = 0.08;
    this.renderer.domElement.addEventListener("click", (e) => this.pick(e));
    new ResizeObserver(() => this.resize()).observe(container);
    this.resize();
    this.renderer.setAnimationLoop(() => this.frame());
  }

  resize() {
    const w = this.container.clientWidth || 800;
    const h = this.container.clientHeight || 600;
    this.renderer.setSize(w, h);
    this.camera.aspect = w / h;
    this.camera.updateProjectionMatrix();
  }

  setLand(rings) {
    // equirectangular texture: longitude -180 at the left edge, north at the top
    const canvas = document.createElement("canvas");
    canvas.width = 2048;
    canvas.height = 1024;
    const g = canvas.getContext("2d");
    g.fillStyle = "#16324f";
    g.fillRect(0, 0, canvas.width, canvas.height);
    g.fillStyle = "#3f5f3a";
    g.strokeStyle = "#7fa27a";
    g.lineWidth = 1;
    for (const ring of rings) {
      // unwrap longitudes so that a ring crossing the antimeridian stays continuous,
      // then draw it once per copy of the map it reaches (the canvas clips the rest)
      const lons = [ring[0][0]];
      for (let i = 1; i < ring.length; i++) {
        let lon = ring[i][0];
        while (lon - lons[i - 1] > 180) lon -= 360;
        while (lon - lons[i - 1] < -180) lon += 360;
        lons.push(lon);
      }
      const lats = ring.map(([, lat]) => lat);
      const last = lons.length - 1;
      if (Math.abs(lons[last] - lons[0]) > 180) {
        // a ring around a pole (Antarctica): close it along the pole
        const pole = lats.reduce((a, b) => a + b, 0) < 0 ? -90 : 90;
        lons.push(lons[last], lons[0]);
        lats.push(pole, pole);
      }
      for (const offset of [-360, 0, 360]) {
        g.beginPath();
        lons.forEach((lon, i) => {
          const x = ((lon + offset + 180) / 360) * canvas.width;
          const y = ((90 - lats[i]) / 180) * canvas.height;
          if (i === 0) g.moveTo(x, y);
          else g.lineTo(x, y);
        });
        g.closePath();
        g.fill("evenodd");
        g.stroke();
      }
    }
    const texture = new THREE.CanvasTexture(canvas);
    texture.colorSpace = THREE.SRGBColorSpace;
    this.earth.material = new THREE.MeshBasicMaterial({ map: texture });
  }

  // positions: the /api/positions payload; t0 its time in ms since 1970
  setPositions(data, t0Ms) {
    this.data = data;
    this.t0Ms = t0Ms;
    this.stepMs = data.step_s * 1000;
    const n = data.ids.length;
    this.p0 = new Float32Array(data.p0_km.map((v) => v / 1000));
    this.p1 = new Float32Array(data.p1_km.map((v) => v / 1000));
    if (!this.points || this.points.geometry.attributes.position.count !== n) {
      if (this.points) this.scene.remove(this.points);
      const geometry = new THREE.BufferGeometry();
      geometry.setAttribute("position", new THREE.BufferAttribute(new Float32Array(3 * n), 3));
      geometry.setAttribute("color", new THREE.BufferAttribute(new Float32Array(3 * n), 3));
      const material = new THREE.PointsMaterial({ size: 2.2, sizeAttenuation: false,
                                                  vertexColors: true });
      this.points = new THREE.Points(geometry, material);
      this.points.frustumCulled = false;
      this.scene.add(this.points);
    }
    this.recolor();
  }

  recolor() {
    if (!this.points) return;
    const colors = this.points.geometry.attributes.color;
    const c = new THREE.Color();
    this.hidden = new Uint8Array(this.data.ids.length);
    this.data.ids.forEach((_, i) => {
      const type = this.data.types[i] || "UNKNOWN";
      const shown = this.visibleTypes.has(TYPE_COLORS[type] !== undefined ? type : "UNKNOWN");
      c.setHex(this.colorBy === "owner" ? ownerColor(this.data.owners[i])
        : (TYPE_COLORS[type] ?? TYPE_COLORS.UNKNOWN));
      this.hidden[i] = shown ? 0 : 1;
      colors.setXYZ(i, c.r, c.g, c.b);
    });
    colors.needsUpdate = true;
  }

  // the clock of the globe: real time from a chosen start (ms since 1970)
  start(simStartMs) {
    this.startedAt = performance.now();
    this.simStartMs = simStartMs;
  }

  simTimeMs() {
    return this.simStartMs + (performance.now() - this.startedAt);
  }

  frame() {
    if (this.points && this.p0) {
      const f = (this.simTimeMs() - this.t0Ms) / this.stepMs;
      const pos = this.points.geometry.attributes.position.array;
      const a = this.p0;
      const b = this.p1;
      const hidden = this.hidden;
      for (let k = 0; k < pos.length; k += 3) {
        if (hidden[k / 3]) {
          pos[k] = pos[k + 1] = pos[k + 2] = 0; // inside the opaque Earth: not drawn
          continue;
        }
        // ITRF (x, y, z) -> scene (x, z, -y)
        pos[k] = a[k] + (b[k] - a[k]) * f;
        pos[k + 1] = a[k + 2] + (b[k + 2] - a[k + 2]) * f;
        pos[k + 2] = -(a[k + 1] + (b[k + 1] - a[k + 1]) * f);
      }
      this.points.geometry.attributes.position.needsUpdate = true;
    }
    this.controls.update();
    this.renderer.render(this.scene, this.camera);
    this.frames += 1;
    const now = performance.now();
    if (now - this.lastFpsTime >= 1000) {
      this.fps = (this.frames * 1000) / (now - this.lastFpsTime);
      this.frames = 0;
      this.lastFpsTime = now;
      window.__orbitwatch = { fps: this.fps, objects: this.data ? this.data.ids.length : 0 };
      if (this.onStats) this.onStats(this.fps);
    }
  }

  pick(event) {
    if (!this.points) return;
    const rect = this.renderer.domElement.getBoundingClientRect();
    const mouse = new THREE.Vector2(((event.clientX - rect.left) / rect.width) * 2 - 1,
                                    -((event.clientY - rect.top) / rect.height) * 2 + 1);
    this.raycaster.setFromCamera(mouse, this.camera);
    const hits = this.raycaster.intersectObject(this.points)
      .filter((h) => !this.hidden[h.index]);
    if (hits.length) this.onPick(this.data.ids[hits[0].index]);
  }

  clearLines() {
    this.lines.clear();
  }

  // how many polylines are drawn (for the browser tests)
  lineCount() {
    return this.lines.children.filter((c) => c.isLine).length;
  }

  // a polyline of ITRF km points, and optionally a marker at one of them
  addLine(itrfKm, color, markerIndex = -1) {
    const pts = itrfKm.map(([x, y, z]) => toScene(x, y, z));
    if (pts.length < 2) return;
    const line = new THREE.Line(new THREE.BufferGeometry().setFromPoints(pts),
                                new THREE.LineBasicMaterial({ color }));
    this.lines.add(line);
    if (markerIndex >= 0 && markerIndex < pts.length) {
      const marker = new THREE.Mesh(new THREE.SphereGeometry(0.06, 12, 8),
                                    new THREE.MeshBasicMaterial({ color }));
      marker.position.copy(pts[markerIndex]);
      this.lines.add(marker);
    }
  }

  lookAt(itrfKm) {
    const p = toScene(...itrfKm);
    const d = this.camera.position.length();
    this.camera.position.copy(p.clone().normalize().multiplyScalar(Math.max(d, p.length() * 2.2)));
  }
}
