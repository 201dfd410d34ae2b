.class public Lcom/amap/api/location/AMapLocationClient;
.super Ljava/lang/Object;
.source "AMapLocationClient.java"

# AMap location client (public API shape of the real SDK): wraps the platform LocationManager,
# network provider every 2 s, and forwards fixes to the app's AMapLocationListener.

.implements Landroid/location/LocationListener;

.field private final context:Landroid/content/Context;
.field private listener:Lcom/amap/api/location/AMapLocationListener;

.method public constructor <init>(Landroid/content/Context;)V
    .registers 2
    invoke-direct {p0}, Ljava/lang/Object;-><init>()V
    iput-object p1, p0, Lcom/amap/api/location/AMapLocationClient;->context:Landroid/content/Context;
    return-void
.end method

.method public setLocationListener(Lcom/amap/api/location/AMapLocationListener;)V
    .registers 2
    iput-object p1, p0, Lcom/amap/api/location/AMapLocationClient;->listener:Lcom/amap/api/location/AMapLocationListener;
    return-void
.end method

.method public startLocation()V
    .registers 8
    iget-object v0, p0, Lcom/amap/api/location/AMapLocationClient;->context:Landroid/content/Context;
    const-string v1, "location"
    invoke-virtual {v0, v1}, Landroid/content/Context;->getSystemService(Ljava/lang/String;)Ljava/lang/Object;
    move-result-object v1
    check-cast v1, Landroid/location/LocationManager;
    const-string v2, "network"
    invoke-virtual {v1, v2}, Landroid/location/LocationManager;->getLastKnownLocation(Ljava/lang/String;)Landroid/location/Location;
    move-result-object v0
    if-eqz v0, :no_fix
    invoke-virtual {p0, v0}, Lcom/amap/api/location/AMapLocationClient;->onLocationChanged(Landroid/location/Location;)V

    :no_fix
    const-wide/16 v3, 0x7d0
    const/4 v5, 0x0
    move-object v6, p0
    invoke-virtual/range {v1 .. v6}, Landroid/location/LocationManager;->requestLocationUpdates(Ljava/lang/String;JFLandroid/location/LocationListener;)V
    return-void
.end method

.method public stopLocation()V
    .registers 3
    iget-object v0, p0, Lcom/amap/api/location/AMapLocationClient;->context:Landroid/content/Context;
    const-string v1, "location"
    invoke-virtual {v0, v1}, Landroid/content/Context;->getSystemService(Ljava/lang/String;)Ljava/lang/Object;
    move-result-object v0
    check-cast v0, Landroid/location/LocationManager;
    invoke-virtual {v0, p0}, Landroid/location/LocationManager;->removeUpdates(Landroid/location/LocationListener;)V
    return-void
.end method

.method public onLocationChanged(Landroid/location/Location;)V
    .registers 4
    iget-object v0, p0, Lcom/amap/api/location/AMapLocationClient;->listener:Lcom/amap/api/location/AMapLocationListener;
    if-eqz v0, :no_listener
    new-instance v1, Lcom/amap/api/location/AMapLocation;
    invoke-direct {v1, p1}, Lcom/amap/api/location/AMapLocation;-><init>(Landroid/location/Location;)V
    invoke-interface {v0, v1}, Lcom/amap/api/location/AMapLocationListener;->onLocationChanged(Lcom/amap/api/location/AMapLocation;)V

    :no_listener
    return-void
.end method

.method public onStatusChanged(Ljava/lang/String;ILandroid/os/Bundle;)V
    .registers 4
    return-void
.end method

.method public onProviderEnabled(Ljava/lang/String;)V
    .registers 2
    return-void
.end method

.method public onProviderDisabled(Ljava/lang/String;)V
    .registers 2
    return-void
.end method
