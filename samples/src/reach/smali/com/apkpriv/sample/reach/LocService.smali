.class public Lcom/apkpriv/sample/reach/LocService;
.super Landroid/app/Service;
.source "LocService.java"

# Case g: background location, every 1000 ms (high-frequency), from onStartCommand.

.implements Landroid/location/LocationListener;

.field private lastFix:Landroid/location/Location;

.method public constructor <init>()V
    .registers 1
    invoke-direct {p0}, Landroid/app/Service;-><init>()V
    return-void
.end method

.method public onBind(Landroid/content/Intent;)Landroid/os/IBinder;
    .registers 3
    const/4 v0, 0x0
    return-object v0
.end method

.method public onStartCommand(Landroid/content/Intent;II)I
    .registers 11
    const-string v0, "location"
    invoke-virtual {p0, v0}, Lcom/apkpriv/sample/reach/LocService;->getSystemService(Ljava/lang/String;)Ljava/lang/Object;
    move-result-object v1
    check-cast v1, Landroid/location/LocationManager;
    const-string v2, "gps"
    const-wide/16 v3, 0x3e8
    const/4 v5, 0x0
    move-object v6, p0
    invoke-virtual/range {v1 .. v6}, Landroid/location/LocationManager;->requestLocationUpdates(Ljava/lang/String;JFLandroid/location/LocationListener;)V
    const/4 v0, 0x1
    return v0
.end method

.method public onLocationChanged(Landroid/location/Location;)V
    .registers 2
    iput-object p1, p0, Lcom/apkpriv/sample/reach/LocService;->lastFix:Landroid/location/Location;
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
